# METADATA
# title: Azure resources are in allowed locations
# description: The location of every azurerm resource is in the parameter azure_allowed_locations (data residency).
# related_resources:
#   - ref: https://learn.microsoft.com/azure/governance/policy/samples/built-in-policies#general
# custom:
#   id: AZURE-ALLOWED-LOCATIONS
#   severity: HIGH
#   enforcement: hard-mandatory
#   remediation: Deploy to an allowed location, or have azure_allowed_locations changed.
#   controls:
#     SOC2: [CC6.1]
#     GDPR: [Art.44]
#     ISO27001: [A.5.34]
package policy_gate.azure.allowed_regions

import data.policy_gate.lib

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.planned_resources
	startswith(resource.type, "azurerm_")
	location := resource.values.location
	is_string(location)
	normalized := lower(replace(location, " ", ""))
	not normalized in {lower(l) | some l in lib.parameter("azure_allowed_locations")}
	msg := sprintf("%s is in %s, which is not an allowed location", [resource.address, location])
}
