package policy_gate.azure.admin_ports_test

import data.policy_gate.azure.admin_ports
import data.policy_gate.fixtures

rule(name, source, ports) := {
	"name": name, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
	"source_address_prefix": source, "destination_port_range": ports,
}

test_rdp_and_any_port_from_internet_fail if {
	results := admin_ports.deny with input as fixtures.plan([
		fixtures.create("azurerm_network_security_rule", "rdp", rule("rdp", "*", "3389")),
		fixtures.create("azurerm_network_security_group", "web", {"security_rule": [rule("all", "Internet", "*"), rule("https", "*", "443")]}),
	])
	{r.resource | some r in results} == {"azurerm_network_security_rule.rdp", "azurerm_network_security_group.web"}
}

test_ssh_from_vnet_and_https_from_internet_pass if {
	count(admin_ports.deny) == 0 with input as fixtures.plan([
		fixtures.create("azurerm_network_security_rule", "ssh", rule("ssh", "10.0.0.0/8", "22")),
		fixtures.create("azurerm_network_security_rule", "https", rule("https", "*", "443-444")),
	])
}
