# METADATA
# title: GCP resources are in allowed regions
# description: The region (or bucket location, or the region of a zone) of every google resource is in the parameter gcp_allowed_regions, as is the google provider's region.
# related_resources:
#   - ref: https://cloud.google.com/resource-manager/docs/organization-policy/defining-locations
# custom:
#   id: GCP-ALLOWED-REGIONS
#   severity: HIGH
#   enforcement: hard-mandatory
#   remediation: Deploy to an allowed region, or have gcp_allowed_regions changed.
#   controls:
#     SOC2: [CC6.1]
#     GDPR: [Art.44]
#     ISO27001: [A.5.34]
package policy_gate.gcp.allowed_regions

import data.policy_gate.lib

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.planned_resources
	startswith(resource.type, "google_")
	some place in places(resource.values)
	not allowed(place)
	msg := sprintf("%s is in %s, which is not an allowed region", [resource.address, place])
}

deny contains {"msg": msg, "resource": sprintf("provider.%s", [key])} if {
	some key, provider in object.get(input, ["configuration", "provider_config"], {})
	provider.name in {"google", "google-beta"}
	region := provider.expressions.region.constant_value
	not allowed(region)
	msg := sprintf("provider %s deploys to %s, which is not an allowed region", [key, region])
}

places(values) := {place |
	some attribute in ["region", "location"]
	place := values[attribute]
	is_string(place)
	place != ""
} | {region |
	is_string(values.zone)
	region := regex.replace(values.zone, `-[a-z]$`, "")
}

allowed(place) if upper(place) in {upper(r) | some r in lib.parameter("gcp_allowed_regions")}

# A zone or location inside an allowed region (europe-west1-b, europe-west1).
allowed(place) if {
	some region in lib.parameter("gcp_allowed_regions")
	startswith(lower(place), sprintf("%s-", [lower(region)]))
}
