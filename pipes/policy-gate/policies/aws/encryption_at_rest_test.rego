package policy_gate.aws.encryption_at_rest_test

import data.policy_gate.aws.encryption_at_rest
import data.policy_gate.fixtures

test_unencrypted_volume_and_database_fail if {
	results := encryption_at_rest.deny with input as fixtures.plan([
		fixtures.create("aws_ebs_volume", "data", {"encrypted": false, "size": 100}),
		fixtures.create("aws_db_instance", "main", {"engine": "postgres"}),
	])
	{r.resource | some r in results} == {"aws_ebs_volume.data", "aws_db_instance.main"}
}

test_encrypted_storage_passes if {
	count(encryption_at_rest.deny) == 0 with input as fixtures.plan([
		fixtures.create("aws_ebs_volume", "data", {"encrypted": true}),
		fixtures.create("aws_rds_cluster", "main", {"storage_encrypted": true}),
		fixtures.create("aws_efs_file_system", "shared", {"encrypted": true}),
	])
}

test_deleted_unencrypted_volume_is_not_judged if {
	count(encryption_at_rest.deny) == 0 with input as fixtures.plan([fixtures.delete("aws_ebs_volume", "old", {"encrypted": false})])
}
