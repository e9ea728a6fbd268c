package policy_gate.azure.iam_wildcards_test

import data.policy_gate.azure.iam_wildcards
import data.policy_gate.fixtures

test_wildcard_role_fails if {
	results := iam_wildcards.deny with input as fixtures.plan([fixtures.create("azurerm_role_definition", "ops", {"permissions": [{"actions": ["*"], "not_actions": []}]})])
	count(results) == 1
}

test_listed_actions_pass if {
	count(iam_wildcards.deny) == 0 with input as fixtures.plan([fixtures.create("azurerm_role_definition", "reader", {"permissions": [{"actions": ["Microsoft.Storage/storageAccounts/read"]}]})])
}
