# METADATA
# title: AWS security groups do not open admin ports to the Internet
# description: No ingress from 0.0.0.0/0 or ::/0 to SSH, RDP or WinRM (the parameter admin_ports).
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
# custom:
#   id: AWS-NO-OPEN-ADMIN-PORTS
#   severity: CRITICAL
#   enforcement: hard-mandatory
#   remediation: Allow admin ports only from a bastion's or VPN's CIDR, or use SSM Session Manager instead of inbound SSH/RDP.
#   controls:
#     SOC2: [CC6.6]
#     PCI-DSS: ["1.3.1", "1.4.1"]
#     GDPR: [Art.32]
#     ISO27001: [A.8.20, A.8.22]
package policy_gate.aws.admin_ports

import data.policy_gate.lib

# Inline ingress blocks of aws_security_group.
deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"aws_security_group"})
	some rule in lib.value(resource, ["ingress"], [])
	open_to_internet(rule)
	lib.range_includes_admin_port(rule.from_port, rule.to_port)
	msg := sprintf("%s allows ingress to ports %v-%v from the Internet", [resource.address, rule.from_port, rule.to_port])
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"aws_security_group_rule"})
	resource.values.type == "ingress"
	open_to_internet(resource.values)
	lib.range_includes_admin_port(resource.values.from_port, resource.values.to_port)
	msg := sprintf("%s allows ingress to ports %v-%v from the Internet", [resource.address, resource.values.from_port, resource.values.to_port])
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"aws_vpc_security_group_ingress_rule"})
	some cidr in [lib.value(resource, ["cidr_ipv4"], ""), lib.value(resource, ["cidr_ipv6"], "")]
	cidr in lib.open_cidrs
	all_or_admin(resource.values)
	msg := sprintf("%s allows ingress to an admin port from %s", [resource.address, cidr])
}

open_to_internet(rule) if {
	some cidr in array.concat(object.get(rule, "cidr_blocks", []), object.get(rule, "ipv6_cidr_blocks", []))
	cidr in lib.open_cidrs
}

all_or_admin(values) if values.ip_protocol == "-1"

all_or_admin(values) if lib.range_includes_admin_port(values.from_port, values.to_port)
