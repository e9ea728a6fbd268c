package policy_gate.azure.vm_sizes_test

import data.policy_gate.azure.vm_sizes
import data.policy_gate.fixtures

test_large_vm_and_node_pool_fail if {
	results := vm_sizes.deny with input as fixtures.plan([
		fixtures.create("azurerm_linux_virtual_machine", "big", {"size": "Standard_M128s"}),
		fixtures.create("azurerm_kubernetes_cluster", "aks", {"default_node_pool": [{"name": "system", "vm_size": "Standard_NC24ads_A100_v4"}]}),
	])
	count(results) == 2
}

test_allowed_sizes_pass if {
	count(vm_sizes.deny) == 0 with input as fixtures.plan([
		fixtures.create("azurerm_linux_virtual_machine", "web", {"size": "Standard_B2s"}),
		fixtures.create("azurerm_kubernetes_cluster_node_pool", "apps", {"vm_size": "Standard_D4s_v5"}),
	])
}
