package policy_gate.aws.iam_wildcards_test

import data.policy_gate.aws.iam_wildcards
import data.policy_gate.fixtures

document(statement) := json.marshal({"Version": "2012-10-17", "Statement": statement})

test_admin_and_service_wildcards_fail if {
	results := iam_wildcards.deny with input as fixtures.plan([
		fixtures.create("aws_iam_policy", "admin", {"policy": document({"Effect": "Allow", "Action": "*", "Resource": "*"})}),
		fixtures.create("aws_iam_role_policy", "s3", {"policy": document([{"Effect": "Allow", "Action": ["s3:*"], "Resource": "arn:aws:s3:::logs/*"}])}),
	])
	{r.resource | some r in results} == {"aws_iam_policy.admin", "aws_iam_role_policy.s3"}
}

test_listed_actions_and_deny_wildcards_pass if {
	count(iam_wildcards.deny) == 0 with input as fixtures.plan([fixtures.create("aws_iam_policy", "read", {"policy": document([
		{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"},
		{"Effect": "Deny", "Action": "*", "Resource": "arn:aws:s3:::secrets/*"},
	])})])
}
