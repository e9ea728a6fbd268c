# METADATA
# title: Azure custom roles grant no wildcard actions
# description: Custom role definitions do not grant "*" or "<provider>/*" actions.
# related_resources:
#   - ref: https://learn.microsoft.com/azure/role-based-access-control/custom-roles
# custom:
#   id: AZURE-NO-IAM-WILDCARDS
#   severity: HIGH
#   enforcement: hard-mandatory
#   remediation: List the actions the role needs, or use a narrower built-in role.
#   controls:
#     SOC2: [CC6.3]
#     PCI-DSS: ["7.2.1", "7.2.2"]
#     GDPR: [Art.25]
#     ISO27001: [A.5.15, A.8.2]
package policy_gate.azure.iam_wildcards

import data.policy_gate.lib

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"azurerm_role_definition"})
	some permission in lib.value(resource, ["permissions"], [])
	some action in array.concat(lib.list_at(permission, "actions"), lib.list_at(permission, "data_actions"))
	regex.match(`^(\*|[A-Za-z.]+/\*)$`, action)
	msg := sprintf("%s grants the wildcard action %q", [resource.address, action])
}
