package policy_gate.azure.allowed_regions_test

import data.policy_gate.azure.allowed_regions
import data.policy_gate.fixtures

test_other_location_fails if {
	count(allowed_regions.deny) == 1 with input as fixtures.plan([fixtures.create("azurerm_resource_group", "dev", {"location": "australiaeast"})])
}

test_allowed_location_in_any_spelling_passes if {
	count(allowed_regions.deny) == 0 with input as fixtures.plan([
		fixtures.create("azurerm_resource_group", "dev", {"location": "West Europe"}),
		fixtures.create("azurerm_storage_account", "data", {"location": "northeurope"}),
	])
}
