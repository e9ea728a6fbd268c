# METADATA
# title: AWS resources are in allowed regions
# description: The region of every AWS provider configuration, and of every resource that sets one, is in the parameter aws_allowed_regions (data residency).
# related_resources:
#   - ref: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html
# custom:
#   id: AWS-ALLOWED-REGIONS
#   severity: HIGH
#   enforcement: hard-mandatory
#   remediation: Deploy to one of the allowed regions, or have the list of allowed regions (parameter aws_allowed_regions) changed.
#   controls:
#     SOC2: [CC6.1]
#     GDPR: [Art.44]
#     ISO27001: [A.5.34]
package policy_gate.aws.allowed_regions

import data.policy_gate.lib

deny contains {"msg": msg, "resource": sprintf("provider.%s", [key])} if {
	some key, provider in object.get(input, ["configuration", "provider_config"], {})
	provider.name == "aws"
	region := provider.expressions.region.constant_value
	not region in lib.parameter("aws_allowed_regions")
	msg := sprintf("provider %s deploys to %s, which is not an allowed region (%s)", [key, region, concat(", ", lib.parameter("aws_allowed_regions"))])
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.planned_resources
	startswith(resource.type, "aws_")
	region := resource.values.region
	is_string(region)
	not region in lib.parameter("aws_allowed_regions")
	msg := sprintf("%s is in %s, which is not an allowed region", [resource.address, region])
}
