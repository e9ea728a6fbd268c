package policy_gate.aws.required_tags_test

import data.policy_gate.aws.required_tags
import data.policy_gate.fixtures

test_untagged_bucket_fails if {
	results := required_tags.deny with input as fixtures.plan([fixtures.create("aws_s3_bucket", "logs", {"bucket": "logs", "tags": {"owner": "data"}})])
	some r in results
	r.msg == "aws_s3_bucket.logs lacks the required tags: environment"
}

test_tags_from_default_tags_count if {
	count(required_tags.deny) == 0 with input as fixtures.plan([fixtures.create("aws_s3_bucket", "logs", {"tags": null, "tags_all": {"Owner": "data", "Environment": "prod"}})])
}

test_required_tags_are_a_parameter if {
	results := required_tags.deny with input as fixtures.plan([fixtures.create("aws_instance", "web", {"tags": fixtures.good_tags})])
		with data.policy_gate_parameters as {"required_tags": ["cost-center"]}
	count(results) == 1
}

test_resources_without_tags_are_not_judged if {
	count(required_tags.deny) == 0 with input as fixtures.plan([fixtures.create("aws_s3_bucket_policy", "logs", {"policy": "{}"})])
}
