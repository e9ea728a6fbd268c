# METADATA
# title: GCP resources carry the required labels
# description: Every google resource that takes labels has the labels of the parameter required_tags (GCP label keys are lower case).
# related_resources:
#   - ref: https://cloud.google.com/resource-manager/docs/best-practices-labels
# custom:
#   id: GCP-REQUIRED-LABELS
#   severity: LOW
#   enforcement: advisory
#   remediation: Add the missing labels, or set them once in the provider's default_labels.
#   controls:
#     SOC2: [CC6.1]
#     PCI-DSS: ["12.5.1"]
#     GDPR: [Art.30]
#     ISO27001: [A.5.9]
package policy_gate.gcp.required_labels

import data.policy_gate.lib

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.planned_resources
	startswith(resource.type, "google_")
	"labels" in object.keys(resource.values)
	labels := object.union(lib.map_at(resource.values, "labels"), lib.map_at(resource.values, "effective_labels"))
	missing := lib.missing_keys(labels, lib.parameter("required_tags"))
	count(missing) > 0
	msg := sprintf("%s lacks the required labels: %s", [resource.address, concat(", ", sort(missing))])
}
