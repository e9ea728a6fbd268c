package policy_gate.aws.logging_retention_test

import data.policy_gate.aws.logging_retention
import data.policy_gate.fixtures

test_short_retention_and_partial_trail_fail if {
	results := logging_retention.deny with input as fixtures.plan([
		fixtures.create("aws_cloudwatch_log_group", "app", {"retention_in_days": 14}),
		fixtures.create("aws_cloudtrail", "main", {"enable_logging": true, "is_multi_region_trail": false, "enable_log_file_validation": true}),
	])
	{r.resource | some r in results} == {"aws_cloudwatch_log_group.app", "aws_cloudtrail.main"}
}

test_year_long_or_unlimited_retention_passes if {
	count(logging_retention.deny) == 0 with input as fixtures.plan([
		fixtures.create("aws_cloudwatch_log_group", "app", {"retention_in_days": 400}),
		fixtures.create("aws_cloudwatch_log_group", "audit", {"retention_in_days": 0}),
		fixtures.create("aws_cloudtrail", "main", {"enable_logging": true, "is_multi_region_trail": true, "enable_log_file_validation": true}),
	])
}
