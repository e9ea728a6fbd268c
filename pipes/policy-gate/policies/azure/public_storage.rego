# METADATA
# title: Azure storage is not public
# description: Storage accounts allow no anonymous (public) blob access; containers are private.
# related_resources:
#   - ref: https://learn.microsoft.com/azure/storage/blobs/anonymous-read-access-prevent
# custom:
#   id: AZURE-NO-PUBLIC-STORAGE
#   severity: CRITICAL
#   enforcement: hard-mandatory
#   remediation: Set allow_nested_items_to_be_public = false on the account and container_access_type = "private" on containers.
#   controls:
#     SOC2: [CC6.1, CC6.6]
#     PCI-DSS: ["1.3.1", "7.2.1"]
#     GDPR: [Art.25, Art.32]
#     ISO27001: [A.5.15, A.8.3]
package policy_gate.azure.public_storage

import data.policy_gate.lib

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"azurerm_storage_account"})
	not lib.value(resource, ["allow_nested_items_to_be_public"], true) == false
	msg := sprintf("%s allows anonymous access to its blobs: set allow_nested_items_to_be_public = false", [resource.address])
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"azurerm_storage_container"})
	access := lib.value(resource, ["container_access_type"], "private")
	access != "private"
	msg := sprintf("%s is readable anonymously (container_access_type %q)", [resource.address, access])
}
