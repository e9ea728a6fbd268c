# METADATA
# title: Azure logging is on and kept long enough
# description: Log Analytics workspaces and NSG flow logs keep data for min_log_retention_days; flow logs are enabled.
# related_resources:
#   - ref: https://learn.microsoft.com/azure/azure-monitor/logs/data-retention-configure
# custom:
#   id: AZURE-LOGGING-RETENTION
#   severity: MEDIUM
#   enforcement: soft-mandatory
#   remediation: Set retention_in_days (workspaces) and retention_policy.days (flow logs) to at least the minimum, with enabled = true.
#   controls:
#     SOC2: [CC7.2]
#     PCI-DSS: ["10.2.1", "10.5.1"]
#     GDPR: [Art.30]
#     ISO27001: [A.8.15]
package policy_gate.azure.logging_retention

import data.policy_gate.lib

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"azurerm_log_analytics_workspace"})
	days := lib.value(resource, ["retention_in_days"], 30)
	days < lib.parameter("min_log_retention_days")
	msg := sprintf("%s keeps logs for %d days, less than %d", [resource.address, days, lib.parameter("min_log_retention_days")])
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"azurerm_network_watcher_flow_log"})
	not flow_log_kept(resource)
	msg := sprintf("%s is off or keeps flow logs for less than %d days", [resource.address, lib.parameter("min_log_retention_days")])
}

flow_log_kept(resource) if {
	lib.value(resource, ["enabled"], false) == true
	some policy in lib.value(resource, ["retention_policy"], [])
	policy.enabled == true
	policy.days >= lib.parameter("min_log_retention_days")
}
