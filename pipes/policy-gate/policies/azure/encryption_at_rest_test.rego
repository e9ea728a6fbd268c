package policy_gate.azure.encryption_at_rest_test

import data.policy_gate.azure.encryption_at_rest
import data.policy_gate.fixtures

test_tde_off_and_vm_without_host_encryption_fail if {
	results := encryption_at_rest.deny with input as fixtures.plan([
		fixtures.create("azurerm_mssql_database", "app", {"transparent_data_encryption_enabled": false}),
		fixtures.create("azurerm_linux_virtual_machine", "web", {"size": "Standard_B2s"}),
	])
	{r.resource | some r in results} == {"azurerm_mssql_database.app", "azurerm_linux_virtual_machine.web"}
}

test_encrypted_resources_pass if {
	count(encryption_at_rest.deny) == 0 with input as fixtures.plan([
		fixtures.create("azurerm_mssql_database", "app", {}),
		fixtures.create("azurerm_linux_virtual_machine", "web", {"encryption_at_host_enabled": true}),
		fixtures.create("azurerm_storage_account", "data", {"infrastructure_encryption_enabled": true}),
	])
}
