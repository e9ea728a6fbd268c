package policy_gate.gcp.admin_ports_test

import data.policy_gate.fixtures
import data.policy_gate.gcp.admin_ports

test_ssh_and_all_tcp_from_anywhere_fail if {
	results := admin_ports.deny with input as fixtures.plan([
		fixtures.create("google_compute_firewall", "ssh", {"source_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "tcp", "ports": ["22"]}]}),
		fixtures.create("google_compute_firewall", "all", {"source_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "tcp", "ports": []}]}),
	])
	count(results) == 2
}

test_iap_ssh_and_public_https_pass if {
	count(admin_ports.deny) == 0 with input as fixtures.plan([
		fixtures.create("google_compute_firewall", "iap", {"source_ranges": ["35.235.240.0/20"], "allow": [{"protocol": "tcp", "ports": ["22", "3389"]}]}),
		fixtures.create("google_compute_firewall", "web", {"source_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "tcp", "ports": ["80", "443"]}]}),
		fixtures.create("google_compute_firewall", "egress", {"direction": "EGRESS", "destination_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "all"}]}),
	])
}
