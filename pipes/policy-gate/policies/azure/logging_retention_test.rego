package policy_gate.azure.logging_retention_test

import data.policy_gate.azure.logging_retention
import data.policy_gate.fixtures

test_default_retention_and_disabled_flow_log_fail if {
	results := logging_retention.deny with input as fixtures.plan([
		fixtures.create("azurerm_log_analytics_workspace", "main", {"sku": "PerGB2018"}),
		fixtures.create("azurerm_network_watcher_flow_log", "nsg", {"enabled": false, "retention_policy": [{"enabled": true, "days": 400}]}),
	])
	count(results) == 2
}

test_year_long_retention_passes if {
	count(logging_retention.deny) == 0 with input as fixtures.plan([
		fixtures.create("azurerm_log_analytics_workspace", "main", {"retention_in_days": 730}),
		fixtures.create("azurerm_network_watcher_flow_log", "nsg", {"enabled": true, "retention_policy": [{"enabled": true, "days": 365}]}),
	])
}
