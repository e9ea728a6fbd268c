# METADATA
# title: AWS resources carry the required tags
# description: Every taggable AWS resource has the tags of the parameter required_tags (tags, or tags_all with the provider's default_tags).
# related_resources:
#   - ref: https://docs.aws.amazon.com/tag-editor/latest/userguide/best-practices-and-strats.html
# custom:
#   id: AWS-REQUIRED-TAGS
#   severity: LOW
#   enforcement: advisory
#   remediation: Add the missing tags to the resource, or once for all resources in the provider's default_tags block.
#   controls:
#     SOC2: [CC6.1]
#     PCI-DSS: ["12.5.1"]
#     GDPR: [Art.30]
#     ISO27001: [A.5.9]
package policy_gate.aws.required_tags

import data.policy_gate.lib

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.planned_resources
	startswith(resource.type, "aws_")
	"tags" in object.keys(resource.values)
	tags := object.union(lib.map_at(resource.values, "tags"), lib.map_at(resource.values, "tags_all"))
	missing := lib.missing_keys(tags, lib.parameter("required_tags"))
	count(missing) > 0
	msg := sprintf("%s lacks the required tags: %s", [resource.address, concat(", ", sort(missing))])
}
