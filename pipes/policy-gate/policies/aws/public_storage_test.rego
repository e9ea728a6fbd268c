package policy_gate.aws.public_storage_test

import data.policy_gate.aws.public_storage
import data.policy_gate.fixtures

test_open_public_access_block_fails if {
	results := public_storage.deny with input as fixtures.plan([fixtures.create("aws_s3_bucket_public_access_block", "logs", {
		"block_public_acls": true, "block_public_policy": false,
		"ignore_public_acls": true, "restrict_public_buckets": false,
	})])
	some r in results
	r.resource == "aws_s3_bucket_public_access_block.logs"
	contains(r.msg, "block_public_policy, restrict_public_buckets")
}

test_public_acl_and_public_database_fail if {
	results := public_storage.deny with input as fixtures.plan([
		fixtures.create("aws_s3_bucket_acl", "site", {"acl": "public-read"}),
		fixtures.create("aws_db_instance", "main", {"publicly_accessible": true}),
	])
	{r.resource | some r in results} == {"aws_s3_bucket_acl.site", "aws_db_instance.main"}
}

test_private_storage_passes if {
	count(public_storage.deny) == 0 with input as fixtures.plan([
		fixtures.create("aws_s3_bucket_public_access_block", "logs", {"block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true}),
		fixtures.create("aws_s3_bucket_acl", "logs", {"acl": "private"}),
		fixtures.create("aws_db_instance", "main", {"publicly_accessible": false}),
	])
}
