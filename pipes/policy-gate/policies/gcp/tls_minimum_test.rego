package policy_gate.gcp.tls_minimum_test

import data.policy_gate.fixtures
import data.policy_gate.gcp.tls_minimum

test_default_ssl_policy_and_unencrypted_sql_fail if {
	results := tls_minimum.deny with input as fixtures.plan([
		fixtures.create("google_compute_ssl_policy", "web", {"profile": "MODERN"}),
		fixtures.create("google_sql_database_instance", "db", {"settings": [{"tier": "db-f1-micro", "ip_configuration": [{"ipv4_enabled": true}]}]}),
	])
	count(results) == 2
}

test_tls_12_and_encrypted_only_pass if {
	count(tls_minimum.deny) == 0 with input as fixtures.plan([
		fixtures.create("google_compute_ssl_policy", "web", {"min_tls_version": "TLS_1_2"}),
		fixtures.create("google_sql_database_instance", "db", {"settings": [{"ip_configuration": [{"ssl_mode": "ENCRYPTED_ONLY"}]}]}),
	])
}
