package policy_gate.azure.tls_minimum_test

import data.policy_gate.azure.tls_minimum
import data.policy_gate.fixtures

test_old_tls_and_plain_http_fail if {
	results := tls_minimum.deny with input as fixtures.plan([
		fixtures.create("azurerm_storage_account", "data", {"min_tls_version": "TLS1_0", "https_traffic_only_enabled": false}),
		fixtures.create("azurerm_mssql_server", "sql", {"minimum_tls_version": "1.1"}),
		fixtures.create("azurerm_linux_web_app", "site", {"site_config": [{"minimum_tls_version": "1.0"}]}),
	])
	count(results) == 4
}

test_tls_12_and_defaults_pass if {
	count(tls_minimum.deny) == 0 with input as fixtures.plan([
		fixtures.create("azurerm_storage_account", "data", {"min_tls_version": "TLS1_2"}),
		fixtures.create("azurerm_redis_cache", "cache", {}),
		fixtures.create("azurerm_linux_web_app", "site", {"site_config": [{"minimum_tls_version": "1.3"}]}),
	])
}
