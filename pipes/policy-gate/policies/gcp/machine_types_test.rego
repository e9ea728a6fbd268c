package policy_gate.gcp.machine_types_test

import data.policy_gate.fixtures
import data.policy_gate.gcp.machine_types

test_large_types_fail if {
	results := machine_types.deny with input as fixtures.plan([
		fixtures.create("google_compute_instance", "big", {"machine_type": "n2-highmem-96"}),
		fixtures.create("google_container_node_pool", "gpu", {"node_config": [{"machine_type": "a2-highgpu-8g"}]}),
		fixtures.create("google_sql_database_instance", "db", {"settings": [{"tier": "db-n1-highmem-32"}]}),
	])
	count(results) == 3
}

test_allowed_types_pass if {
	count(machine_types.deny) == 0 with input as fixtures.plan([
		fixtures.create("google_compute_instance", "web", {"machine_type": "e2-medium"}),
		fixtures.create("google_sql_database_instance", "db", {"settings": [{"tier": "db-custom-2-7680"}]}),
	])
}
