# METADATA
# title: AWS IAM policies grant no wildcard actions
# description: No Allow statement in an IAM policy document grants "*" or "<service>:*" actions, or NotAction.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
# custom:
#   id: AWS-NO-IAM-WILDCARDS
#   severity: HIGH
#   enforcement: hard-mandatory
#   remediation: List the actions the principal needs (IAM Access Analyzer can generate them from CloudTrail).
#   controls:
#     SOC2: [CC6.3]
#     PCI-DSS: ["7.2.1", "7.2.2"]
#     GDPR: [Art.25]
#     ISO27001: [A.5.15, A.8.2]
package policy_gate.aws.iam_wildcards

import data.policy_gate.lib

policy_types := {"aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources(policy_types)
	document := json.unmarshal(resource.values.policy)
	some statement in statements(document)
	statement.Effect == "Allow"
	some action in wildcard_actions(statement)
	msg := sprintf("%s allows the wildcard action %q", [resource.address, action])
}

statements(document) := document.Statement if is_array(document.Statement)

statements(document) := [document.Statement] if is_object(document.Statement)

wildcard_actions(statement) := {action |
	some action in as_list(object.get(statement, "Action", []))
	regex.match(`^(\*|[a-zA-Z0-9-]+:\*)$`, action)
}

wildcard_actions(statement) := {"NotAction"} if "NotAction" in object.keys(statement)

as_list(value) := value if is_array(value)

as_list(value) := [value] if is_string(value)
