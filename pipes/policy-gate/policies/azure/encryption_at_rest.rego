# METADATA
# title: Azure storage and disks are encrypted at rest
# description: SQL databases keep transparent data encryption on; virtual machines encrypt at host (temporary disks and caches too); storage accounts use infrastructure (double) encryption.
# related_resources:
#   - ref: https://learn.microsoft.com/azure/virtual-machines/disk-encryption-overview
# custom:
#   id: AZURE-ENCRYPTION-AT-REST
#   severity: HIGH
#   enforcement: hard-mandatory
#   remediation: Set transparent_data_encryption_enabled = true, encryption_at_host_enabled = true and infrastructure_encryption_enabled = true.
#   controls:
#     SOC2: [CC6.1]
#     PCI-DSS: ["3.5.1"]
#     GDPR: [Art.32]
#     ISO27001: [A.8.24]
package policy_gate.azure.encryption_at_rest

import data.policy_gate.lib

required := {
	"azurerm_mssql_database": ["transparent_data_encryption_enabled", true],
	"azurerm_linux_virtual_machine": ["encryption_at_host_enabled", false],
	"azurerm_windows_virtual_machine": ["encryption_at_host_enabled", false],
	"azurerm_storage_account": ["infrastructure_encryption_enabled", false],
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources(object.keys(required))
	[attribute, provider_default] := required[resource.type]
	not lib.value(resource, [attribute], provider_default) == true
	msg := sprintf("%s is not encrypted at rest: set %s = true", [resource.address, attribute])
}
