# METADATA
# title: Azure network security rules do not open admin ports to the Internet
# description: No inbound Allow rule from *, Internet or 0.0.0.0/0 to SSH, RDP or WinRM.
# related_resources:
#   - ref: https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview
# custom:
#   id: AZURE-NO-OPEN-ADMIN-PORTS
#   severity: CRITICAL
#   enforcement: hard-mandatory
#   remediation: Restrict the source to a bastion or VPN range, or use Azure Bastion / just-in-time VM access.
#   controls:
#     SOC2: [CC6.6]
#     PCI-DSS: ["1.3.1", "1.4.1"]
#     GDPR: [Art.32]
#     ISO27001: [A.8.20, A.8.22]
package policy_gate.azure.admin_ports

import data.policy_gate.lib

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"azurerm_network_security_rule"})
	some port in open_admin_ports(resource.values)
	msg := sprintf("%s allows inbound %s from the Internet", [resource.address, port])
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"azurerm_network_security_group"})
	some rule in lib.value(resource, ["security_rule"], [])
	some port in open_admin_ports(rule)
	msg := sprintf("%s rule %s allows inbound %s from the Internet", [resource.address, rule.name, port])
}

open_admin_ports(rule) := {port |
	lower(rule.direction) == "inbound"
	lower(rule.access) == "allow"
	some source in array.concat([object.get(rule, "source_address_prefix", "")], lib.list_at(rule, "source_address_prefixes"))
	source in lib.open_cidrs
	some port in array.concat([object.get(rule, "destination_port_range", "")], lib.list_at(rule, "destination_port_ranges"))
	admin_range(port)
}

admin_range("*")

admin_range(port) if {
	[from, to] := split(port, "-")
	lib.range_includes_admin_port(from, to)
}

admin_range(port) if {
	not contains(port, "-")
	port != "*"
	port != ""
	lib.range_includes_admin_port(port, port)
}
