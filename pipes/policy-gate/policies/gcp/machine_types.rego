# METADATA
# title: GCP machine types are within limits
# description: Compute instances, GKE node pools and Cloud SQL tiers use a type of the parameter gcp_allowed_machine_types and none of denied_instance_sizes.
# custom:
#   id: GCP-MACHINE-TYPE-LIMITS
#   severity: MEDIUM
#   enforcement: soft-mandatory
#   remediation: Choose an allowed machine type, or get the plan approved by an approver.
#   controls:
#     SOC2: [A1.1]
#     ISO27001: [A.8.6]
package policy_gate.gcp.machine_types

import data.policy_gate.lib

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"google_compute_instance", "google_compute_instance_template"})
	machine := resource.values.machine_type
	not allowed(machine)
	msg := sprintf("%s uses %s, outside the allowed machine types", [resource.address, machine])
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"google_container_node_pool", "google_container_cluster"})
	some config in lib.list_at(resource.values, "node_config")
	machine := config.machine_type
	not allowed(machine)
	msg := sprintf("%s nodes use %s, outside the allowed machine types", [resource.address, machine])
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"google_sql_database_instance"})
	some settings in lib.list_at(resource.values, "settings")
	not allowed(settings.tier)
	msg := sprintf("%s uses the tier %s, outside the allowed machine types", [resource.address, settings.tier])
}

allowed(machine) if {
	lib.matches_any(machine, lib.parameter("gcp_allowed_machine_types"))
	not lib.matches_any(machine, lib.parameter("denied_instance_sizes"))
}
