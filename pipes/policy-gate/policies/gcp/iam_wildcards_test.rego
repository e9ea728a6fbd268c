package policy_gate.gcp.iam_wildcards_test

import data.policy_gate.fixtures
import data.policy_gate.gcp.iam_wildcards

test_editor_role_and_public_member_fail if {
	results := iam_wildcards.deny with input as fixtures.plan([
		fixtures.create("google_project_iam_member", "ci", {"project": "p", "role": "roles/editor", "member": "serviceAccount:ci@p.iam.gserviceaccount.com"}),
		fixtures.create("google_project_iam_binding", "viewers", {"project": "p", "role": "roles/viewer", "members": ["allAuthenticatedUsers"]}),
	])
	{r.resource | some r in results} == {"google_project_iam_member.ci", "google_project_iam_binding.viewers"}
}

test_predefined_roles_pass if {
	count(iam_wildcards.deny) == 0 with input as fixtures.plan([fixtures.create("google_project_iam_member", "ci", {"role": "roles/storage.objectAdmin", "member": "serviceAccount:ci@p.iam.gserviceaccount.com"})])
}
