package policy_gate.aws.allowed_regions_test

import data.policy_gate.aws.allowed_regions
import data.policy_gate.fixtures

provider_plan(region) := object.union(fixtures.plan([]), {"configuration": {"provider_config": {"aws": {
	"name": "aws",
	"full_name": "registry.terraform.io/hashicorp/aws",
	"expressions": {"region": {"constant_value": region}},
}}}})

test_provider_in_other_region_fails if {
	results := allowed_regions.deny with input as provider_plan("ap-southeast-2")
	some r in results
	r.resource == "provider.aws"
}

test_resource_region_outside_list_fails if {
	results := allowed_regions.deny with input as fixtures.plan([fixtures.create("aws_s3_bucket", "copy", {"region": "sa-east-1"})])
	count(results) == 1
}

test_allowed_region_passes if {
	count(allowed_regions.deny) == 0 with input as provider_plan("eu-west-1")
	count(allowed_regions.deny) == 0 with input as provider_plan("ap-southeast-2")
		with data.policy_gate_parameters as {"aws_allowed_regions": ["ap-southeast-2"]}
}
