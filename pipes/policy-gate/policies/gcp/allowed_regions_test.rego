package policy_gate.gcp.allowed_regions_test

import data.policy_gate.fixtures
import data.policy_gate.gcp.allowed_regions

test_other_region_and_zone_fail if {
	results := allowed_regions.deny with input as fixtures.plan([
		fixtures.create("google_compute_subnetwork", "asia", {"region": "asia-east1"}),
		fixtures.create("google_compute_instance", "vm", {"zone": "australia-southeast1-a"}),
	])
	count(results) == 2
}

test_allowed_regions_zones_and_multi_regions_pass if {
	count(allowed_regions.deny) == 0 with input as fixtures.plan([
		fixtures.create("google_compute_subnetwork", "eu", {"region": "europe-west1"}),
		fixtures.create("google_compute_instance", "vm", {"zone": "europe-west4-b"}),
		fixtures.create("google_storage_bucket", "logs", {"location": "EU"}),
	])
}
