package policy_gate.lib_test

import data.policy_gate.fixtures
import data.policy_gate.lib

test_planned_resources_leave_out_deletes_and_data_sources if {
	plan := fixtures.plan([
		fixtures.create("aws_ebs_volume", "a", {"encrypted": true}),
		fixtures.delete("aws_ebs_volume", "b", {"encrypted": false}),
		object.union(fixtures.create("aws_ami", "c", {}), {"mode": "data"}),
	])
	addresses := {r.address | some r in lib.planned_resources} with input as plan
	addresses == {"aws_ebs_volume.a"}
}

test_parameters_override_defaults if {
	lib.parameter("min_log_retention_days") == 30 with data.policy_gate_parameters as {"min_log_retention_days": 30}
	lib.parameter("min_log_retention_days") == 365
}

test_tls_numbers if {
	lib.tls_number("TLS1_2") == 1.2
	lib.tls_number("TLSv1.2_2021") == 1.2
	lib.tls_number("1.0") == 1
	lib.tls_below_minimum("TLS1_0")
	not lib.tls_below_minimum("TLS1_3")
}

test_admin_port_ranges if {
	lib.range_includes_admin_port(0, 65535)
	lib.range_includes_admin_port("22", "22")
	not lib.range_includes_admin_port(443, 443)
}
