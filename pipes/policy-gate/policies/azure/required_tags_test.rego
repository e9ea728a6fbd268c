package policy_gate.azure.required_tags_test

import data.policy_gate.azure.required_tags
import data.policy_gate.fixtures

test_untagged_resource_group_fails if {
	results := required_tags.deny with input as fixtures.plan([fixtures.create("azurerm_resource_group", "dev", {"location": "westeurope", "tags": null})])
	some r in results
	r.msg == "azurerm_resource_group.dev lacks the required tags: environment, owner"
}

test_tagged_resources_pass if {
	count(required_tags.deny) == 0 with input as fixtures.plan([fixtures.create("azurerm_resource_group", "dev", {"tags": fixtures.good_tags})])
}
