package policy_gate.azure.public_storage_test

import data.policy_gate.azure.public_storage
import data.policy_gate.fixtures

test_public_account_and_container_fail if {
	results := public_storage.deny with input as fixtures.plan([
		fixtures.create("azurerm_storage_account", "data", {"account_tier": "Standard"}),
		fixtures.create("azurerm_storage_container", "site", {"container_access_type": "blob"}),
	])
	{r.resource | some r in results} == {"azurerm_storage_account.data", "azurerm_storage_container.site"}
}

test_private_storage_passes if {
	count(public_storage.deny) == 0 with input as fixtures.plan([
		fixtures.create("azurerm_storage_account", "data", {"allow_nested_items_to_be_public": false}),
		fixtures.create("azurerm_storage_container", "site", {"container_access_type": "private"}),
	])
}
