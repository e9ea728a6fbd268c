# METADATA
# title: GCP endpoints require TLS 1.2 or later
# description: SSL policies of load balancers set a minimum of TLS 1.2 (parameter min_tls_version); Cloud SQL instances accept encrypted connections only.
# related_resources:
#   - ref: https://cloud.google.com/load-balancing/docs/ssl-policies-concepts
# custom:
#   id: GCP-TLS-MINIMUM
#   severity: HIGH
#   enforcement: hard-mandatory
#   remediation: Set min_tls_version = "TLS_1_2" on google_compute_ssl_policy, and ip_configuration.ssl_mode = "ENCRYPTED_ONLY" on Cloud SQL.
#   controls:
#     SOC2: [CC6.7]
#     PCI-DSS: ["4.2.1"]
#     GDPR: [Art.32]
#     ISO27001: [A.8.24]
package policy_gate.gcp.tls_minimum

import data.policy_gate.lib

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"google_compute_ssl_policy"})
	version := lib.value(resource, ["min_tls_version"], "TLS_1_0")
	lib.tls_below_minimum(version)
	msg := sprintf("%s accepts %s", [resource.address, version])
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"google_sql_database_instance"})
	some settings in lib.list_at(resource.values, "settings")
	some ip in lib.list_at(settings, "ip_configuration")
	not object.get(ip, "ssl_mode", "ALLOW_UNENCRYPTED_AND_ENCRYPTED") in {"ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"}
	msg := sprintf("%s accepts unencrypted connections (ssl_mode %s)", [resource.address, object.get(ip, "ssl_mode", "unset")])
}
