package policy_gate.gcp.logging_retention_test

import data.policy_gate.fixtures
import data.policy_gate.gcp.logging_retention

test_short_retention_and_no_flow_logs_fail if {
	results := logging_retention.deny with input as fixtures.plan([
		fixtures.create("google_logging_project_bucket_config", "audit", {"bucket_id": "audit", "retention_days": 30}),
		fixtures.create("google_compute_subnetwork", "dev", {"region": "europe-west1", "log_config": []}),
	])
	count(results) == 2
}

test_year_long_retention_and_flow_logs_pass if {
	count(logging_retention.deny) == 0 with input as fixtures.plan([
		fixtures.create("google_logging_project_bucket_config", "audit", {"retention_days": 400}),
		fixtures.create("google_compute_subnetwork", "dev", {"log_config": [{"aggregation_interval": "INTERVAL_5_SEC"}]}),
	])
}
