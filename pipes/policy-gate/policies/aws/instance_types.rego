# METADATA
# title: AWS instance types are within limits
# description: EC2 instance types, launch templates and RDS instance classes match the parameter aws_allowed_instance_types and none of denied_instance_sizes.
# custom:
#   id: AWS-INSTANCE-LIMITS
#   severity: MEDIUM
#   enforcement: soft-mandatory
#   remediation: Choose an allowed instance type, or get the plan approved by an approver for this exception.
#   controls:
#     SOC2: [A1.1]
#     ISO27001: [A.8.6]
package policy_gate.aws.instance_types

import data.policy_gate.lib

size_attribute := {
	"aws_instance": "instance_type",
	"aws_launch_template": "instance_type",
	"aws_db_instance": "instance_class",
	"aws_rds_cluster_instance": "instance_class",
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources(object.keys(size_attribute))
	size := resource.values[size_attribute[resource.type]]
	is_string(size)
	not allowed(size)
	msg := sprintf("%s uses %s, outside the allowed instance types", [resource.address, size])
}

allowed(size) if {
	lib.matches_any(size, lib.parameter("aws_allowed_instance_types"))
	not lib.matches_any(size, lib.parameter("denied_instance_sizes"))
}
