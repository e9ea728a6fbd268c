# METADATA
# title: GCP storage is not public
# description: No bucket IAM grant or ACL to allUsers or allAuthenticatedUsers, and public access prevention is not turned off.
# related_resources:
#   - ref: https://cloud.google.com/storage/docs/public-access-prevention
# custom:
#   id: GCP-NO-PUBLIC-STORAGE
#   severity: CRITICAL
#   enforcement: hard-mandatory
#   remediation: Remove allUsers/allAuthenticatedUsers grants and set public_access_prevention = "enforced".
#   controls:
#     SOC2: [CC6.1, CC6.6]
#     PCI-DSS: ["1.3.1", "7.2.1"]
#     GDPR: [Art.25, Art.32]
#     ISO27001: [A.5.15, A.8.3]
package policy_gate.gcp.public_storage

import data.policy_gate.lib

public_members := {"allUsers", "allAuthenticatedUsers"}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"google_storage_bucket_iam_member", "google_storage_bucket_iam_binding"})
	some member in array.concat([object.get(resource.values, "member", "")], lib.list_at(resource.values, "members"))
	member in public_members
	msg := sprintf("%s grants %s to %s", [resource.address, resource.values.role, member])
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"google_storage_bucket_access_control", "google_storage_default_object_access_control"})
	resource.values.entity in public_members
	msg := sprintf("%s gives %s access to %s", [resource.address, resource.values.role, resource.values.entity])
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"google_storage_bucket"})
	lib.value(resource, ["public_access_prevention"], "inherited") == "unspecified"
	msg := sprintf("%s turns public access prevention off", [resource.address])
}
