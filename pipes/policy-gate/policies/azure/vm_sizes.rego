# METADATA
# title: Azure VM sizes are within limits
# description: Virtual machines, scale sets and AKS node pools use a size of the parameter azure_allowed_vm_sizes.
# custom:
#   id: AZURE-VM-SIZE-LIMITS
#   severity: MEDIUM
#   enforcement: soft-mandatory
#   remediation: Choose an allowed size, or get the plan approved by an approver.
#   controls:
#     SOC2: [A1.1]
#     ISO27001: [A.8.6]
package policy_gate.azure.vm_sizes

import data.policy_gate.lib

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"azurerm_linux_virtual_machine", "azurerm_windows_virtual_machine", "azurerm_linux_virtual_machine_scale_set", "azurerm_windows_virtual_machine_scale_set"})
	size := lib.value(resource, ["size"], lib.value(resource, ["sku"], null))
	is_string(size)
	not lib.matches_any(size, lib.parameter("azure_allowed_vm_sizes"))
	msg := sprintf("%s uses %s, outside the allowed VM sizes", [resource.address, size])
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"azurerm_kubernetes_cluster"})
	some pool in lib.value(resource, ["default_node_pool"], [])
	not lib.matches_any(pool.vm_size, lib.parameter("azure_allowed_vm_sizes"))
	msg := sprintf("%s node pool %s uses %s, outside the allowed VM sizes", [resource.address, pool.name, pool.vm_size])
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"azurerm_kubernetes_cluster_node_pool"})
	not lib.matches_any(resource.values.vm_size, lib.parameter("azure_allowed_vm_sizes"))
	msg := sprintf("%s uses %s, outside the allowed VM sizes", [resource.address, resource.values.vm_size])
}
