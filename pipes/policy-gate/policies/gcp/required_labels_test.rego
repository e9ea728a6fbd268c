package policy_gate.gcp.required_labels_test

import data.policy_gate.fixtures
import data.policy_gate.gcp.required_labels

test_unlabelled_bucket_fails if {
	results := required_labels.deny with input as fixtures.plan([fixtures.create("google_storage_bucket", "logs", {"labels": {"owner": "data"}})])
	some r in results
	r.msg == "google_storage_bucket.logs lacks the required labels: environment"
}

test_labelled_resources_pass if {
	count(required_labels.deny) == 0 with input as fixtures.plan([fixtures.create("google_compute_instance", "web", {"labels": fixtures.good_tags})])
}
