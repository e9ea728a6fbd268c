# METADATA
# title: Azure endpoints require TLS 1.2 or later
# description: Storage accounts, SQL servers, Redis caches and App Service apps accept TLS 1.2+ only (parameter min_tls_version), and storage accounts accept HTTPS only.
# related_resources:
#   - ref: https://learn.microsoft.com/azure/storage/common/transport-layer-security-configure-minimum-version
# custom:
#   id: AZURE-TLS-MINIMUM
#   severity: HIGH
#   enforcement: hard-mandatory
#   remediation: Set min_tls_version = "TLS1_2" (storage), minimum_tls_version = "1.2" (SQL, Redis, site_config) and https_traffic_only_enabled = true.
#   controls:
#     SOC2: [CC6.7]
#     PCI-DSS: ["4.2.1"]
#     GDPR: [Art.32]
#     ISO27001: [A.8.24]
package policy_gate.azure.tls_minimum

import data.policy_gate.lib

# The attribute holding the minimum version, and the provider's default when it is not set.
version_attribute := {
	"azurerm_storage_account": ["min_tls_version", "TLS1_2"],
	"azurerm_mssql_server": ["minimum_tls_version", "1.2"],
	"azurerm_redis_cache": ["minimum_tls_version", "1.2"],
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources(object.keys(version_attribute))
	[attribute, provider_default] := version_attribute[resource.type]
	version := lib.value(resource, [attribute], provider_default)
	lib.tls_below_minimum(version)
	msg := sprintf("%s accepts %s (%s)", [resource.address, version, attribute])
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"azurerm_linux_web_app", "azurerm_windows_web_app", "azurerm_linux_function_app", "azurerm_windows_function_app"})
	some config in lib.value(resource, ["site_config"], [])
	version := object.get(config, "minimum_tls_version", "1.2")
	lib.tls_below_minimum(version)
	msg := sprintf("%s accepts TLS %s", [resource.address, version])
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"azurerm_storage_account"})
	lib.value(resource, ["https_traffic_only_enabled"], true) == false
	msg := sprintf("%s accepts plain HTTP", [resource.address])
}
