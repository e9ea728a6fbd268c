# METADATA
# title: Azure resources carry the required tags
# description: Every taggable azurerm resource has the tags of the parameter required_tags.
# related_resources:
#   - ref: https://learn.microsoft.com/azure/cloud-adoption-framework/ready/azure-best-practices/resource-tagging
# custom:
#   id: AZURE-REQUIRED-TAGS
#   severity: LOW
#   enforcement: advisory
#   remediation: Add the missing tags (or inherit them with an Azure Policy "inherit a tag from the resource group").
#   controls:
#     SOC2: [CC6.1]
#     PCI-DSS: ["12.5.1"]
#     GDPR: [Art.30]
#     ISO27001: [A.5.9]
package policy_gate.azure.required_tags

import data.policy_gate.lib

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.planned_resources
	startswith(resource.type, "azurerm_")
	"tags" in object.keys(resource.values)
	missing := lib.missing_keys(lib.map_at(resource.values, "tags"), lib.parameter("required_tags"))
	count(missing) > 0
	msg := sprintf("%s lacks the required tags: %s", [resource.address, concat(", ", sort(missing))])
}
