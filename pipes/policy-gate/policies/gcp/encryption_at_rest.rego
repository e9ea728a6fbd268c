# METADATA
# title: GCP data is encrypted with customer-managed keys
# description: Google encrypts all data at rest; these policies require a customer-managed (Cloud KMS) key for disks, buckets and BigQuery datasets, so keys can be rotated and revoked.
# related_resources:
#   - ref: https://cloud.google.com/kms/docs/cmek
# custom:
#   id: GCP-ENCRYPTION-AT-REST
#   severity: HIGH
#   enforcement: hard-mandatory
#   remediation: Set disk_encryption_key.kms_key_self_link (disks), encryption.default_kms_key_name (buckets) or default_encryption_configuration.kms_key_name (datasets).
#   controls:
#     SOC2: [CC6.1]
#     PCI-DSS: ["3.5.1", "3.6.1"]
#     GDPR: [Art.32]
#     ISO27001: [A.8.24]
package policy_gate.gcp.encryption_at_rest

import data.policy_gate.lib

key_path := {
	"google_compute_disk": ["disk_encryption_key", "kms_key_self_link"],
	"google_storage_bucket": ["encryption", "default_kms_key_name"],
	"google_bigquery_dataset": ["default_encryption_configuration", "kms_key_name"],
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources(object.keys(key_path))
	[block, attribute] := key_path[resource.type]
	not has_key(resource, block, attribute)
	msg := sprintf("%s is not encrypted with a customer-managed key: set %s.%s", [resource.address, block, attribute])
}

has_key(resource, block, attribute) if {
	some settings in lib.list_at(resource.values, block)
	is_string(settings[attribute])
	settings[attribute] != ""
}
