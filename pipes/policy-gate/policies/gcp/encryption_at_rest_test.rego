package policy_gate.gcp.encryption_at_rest_test

import data.policy_gate.fixtures
import data.policy_gate.gcp.encryption_at_rest

test_disk_and_bucket_without_cmek_fail if {
	results := encryption_at_rest.deny with input as fixtures.plan([
		fixtures.create("google_compute_disk", "data", {"size": 100, "disk_encryption_key": []}),
		fixtures.create("google_storage_bucket", "logs", {"location": "EU"}),
	])
	{r.resource | some r in results} == {"google_compute_disk.data", "google_storage_bucket.logs"}
}

test_cmek_resources_pass if {
	key := "projects/p/locations/europe-west1/keyRings/r/cryptoKeys/k"
	count(encryption_at_rest.deny) == 0 with input as fixtures.plan([
		fixtures.create("google_compute_disk", "data", {"disk_encryption_key": [{"kms_key_self_link": key}]}),
		fixtures.create("google_storage_bucket", "logs", {"encryption": [{"default_kms_key_name": key}]}),
		fixtures.create("google_bigquery_dataset", "events", {"default_encryption_configuration": [{"kms_key_name": key}]}),
	])
}
