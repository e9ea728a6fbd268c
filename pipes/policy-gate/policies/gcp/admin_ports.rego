# METADATA
# title: GCP firewalls do not open admin ports to the Internet
# description: No ingress firewall rule from 0.0.0.0/0 allows SSH, RDP or WinRM (or all ports).
# related_resources:
#   - ref: https://cloud.google.com/firewall/docs/firewalls
# custom:
#   id: GCP-NO-OPEN-ADMIN-PORTS
#   severity: CRITICAL
#   enforcement: hard-mandatory
#   remediation: Restrict source_ranges, or use Identity-Aware Proxy TCP forwarding (35.235.240.0/20) for SSH/RDP.
#   controls:
#     SOC2: [CC6.6]
#     PCI-DSS: ["1.3.1", "1.4.1"]
#     GDPR: [Art.32]
#     ISO27001: [A.8.20, A.8.22]
package policy_gate.gcp.admin_ports

import data.policy_gate.lib

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"google_compute_firewall"})
	upper(lib.value(resource, ["direction"], "INGRESS")) == "INGRESS"
	some source in lib.list_at(resource.values, "source_ranges")
	source in lib.open_cidrs
	some allow in lib.list_at(resource.values, "allow")
	opens_admin_port(allow)
	msg := sprintf("%s allows %s to admin ports from %s", [resource.address, allow.protocol, source])
}

opens_admin_port(allow) if {
	allow.protocol in {"all", "tcp"}
	count(lib.list_at(allow, "ports")) == 0
}

opens_admin_port(allow) if {
	some range in lib.list_at(allow, "ports")
	bounds := split(range, "-")
	lib.range_includes_admin_port(bounds[0], bounds[count(bounds) - 1])
}
