# METADATA
# title: GCP IAM grants no primitive or public roles
# description: GCP has no wildcard permissions; its wildcards are the primitive roles (roles/owner, roles/editor) that grant every permission of a project, folder or organization, and the allUsers/allAuthenticatedUsers members.
# related_resources:
#   - ref: https://cloud.google.com/iam/docs/roles-overview#basic
# custom:
#   id: GCP-NO-IAM-WILDCARDS
#   severity: HIGH
#   enforcement: hard-mandatory
#   remediation: Grant predefined or custom roles with the permissions needed, to named principals.
#   controls:
#     SOC2: [CC6.3]
#     PCI-DSS: ["7.2.1", "7.2.2"]
#     GDPR: [Art.25]
#     ISO27001: [A.5.15, A.8.2]
package policy_gate.gcp.iam_wildcards

import data.policy_gate.lib

iam_types := {
	"google_project_iam_member", "google_project_iam_binding",
	"google_folder_iam_member", "google_folder_iam_binding",
	"google_organization_iam_member", "google_organization_iam_binding",
}

primitive_roles := {"roles/owner", "roles/editor"}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources(iam_types)
	resource.values.role in primitive_roles
	msg := sprintf("%s grants the primitive role %s", [resource.address, resource.values.role])
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources(iam_types)
	some member in array.concat([object.get(resource.values, "member", "")], lib.list_at(resource.values, "members"))
	member in {"allUsers", "allAuthenticatedUsers"}
	msg := sprintf("%s grants %s to %s", [resource.address, resource.values.role, member])
}
