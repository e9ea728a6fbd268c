package policy_gate.aws.instance_types_test

import data.policy_gate.aws.instance_types
import data.policy_gate.fixtures

test_large_and_unlisted_types_fail if {
	results := instance_types.deny with input as fixtures.plan([
		fixtures.create("aws_instance", "gpu", {"instance_type": "p5.48xlarge"}),
		fixtures.create("aws_instance", "big", {"instance_type": "m6i.metal"}),
		fixtures.create("aws_db_instance", "main", {"instance_class": "db.x2g.16xlarge"}),
	])
	count(results) == 3
}

test_allowed_types_pass if {
	count(instance_types.deny) == 0 with input as fixtures.plan([
		fixtures.create("aws_instance", "web", {"instance_type": "t3.micro"}),
		fixtures.create("aws_db_instance", "main", {"instance_class": "db.t4g.medium"}),
	])
}
