package policy_gate.aws.admin_ports_test

import data.policy_gate.aws.admin_ports
import data.policy_gate.fixtures

test_ssh_from_anywhere_fails if {
	results := admin_ports.deny with input as fixtures.plan([fixtures.create("aws_security_group", "bastion", {"ingress": [
		{"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]},
		{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]},
	]})])
	count(results) == 1
	some r in results
	r.resource == "aws_security_group.bastion"
}

test_rule_resources_fail if {
	results := admin_ports.deny with input as fixtures.plan([
		fixtures.create("aws_security_group_rule", "rdp", {"type": "ingress", "from_port": 3389, "to_port": 3389, "cidr_blocks": ["0.0.0.0/0"]}),
		fixtures.create("aws_vpc_security_group_ingress_rule", "all", {"ip_protocol": "-1", "cidr_ipv6": "::/0"}),
	])
	{r.resource | some r in results} == {"aws_security_group_rule.rdp", "aws_vpc_security_group_ingress_rule.all"}
}

test_https_from_anywhere_and_ssh_from_office_pass if {
	count(admin_ports.deny) == 0 with input as fixtures.plan([fixtures.create("aws_security_group", "web", {"ingress": [
		{"from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"]},
		{"from_port": 22, "to_port": 22, "cidr_blocks": ["10.20.0.0/16"]},
	]})])
}
