package policy_gate.gcp.public_storage_test

import data.policy_gate.fixtures
import data.policy_gate.gcp.public_storage

test_public_grants_fail if {
	results := public_storage.deny with input as fixtures.plan([
		fixtures.create("google_storage_bucket_iam_member", "site", {"bucket": "site", "role": "roles/storage.objectViewer", "member": "allUsers"}),
		fixtures.create("google_storage_bucket_iam_binding", "docs", {"bucket": "docs", "role": "roles/storage.objectViewer", "members": ["group:dev@example.com", "allAuthenticatedUsers"]}),
	])
	count(results) == 2
}

test_private_grants_pass if {
	count(public_storage.deny) == 0 with input as fixtures.plan([
		fixtures.create("google_storage_bucket_iam_member", "site", {"role": "roles/storage.objectViewer", "member": "serviceAccount:web@p.iam.gserviceaccount.com"}),
		fixtures.create("google_storage_bucket", "site", {"public_access_prevention": "enforced"}),
	])
}
