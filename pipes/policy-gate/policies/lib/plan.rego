# METADATA
# title: policy-gate library helpers
# description: >-
#   What the built-in policies share: the resources a Terraform plan creates or updates, with
#   their planned values, and the library's parameters (data.policy_gate_parameters, written by
#   the pipe from the `parameters:` of .policy-gate.yml) over its defaults.
package policy_gate.lib

# Resources the plan creates, updates or replaces (not deleted, not data sources), as
# {"address", "type", "name", "provider", "values"}.
planned_resources contains resource if {
	some change in input.resource_changes
	change.mode == "managed"
	some action in change.change.actions
	action in {"create", "update"}
	resource := {
		"address": change.address,
		"type": change.type,
		"name": change.name,
		"provider": object.get(change, "provider_name", ""),
		"values": object.get(change.change, "after", {}),
	}
}

# The example layers (and other offline test configurations) stand a cloud resource in with
# Terraform's built-in terraform_data, naming it in input.resource_type: judged as that resource,
# with the rest of its input as its values.
planned_resources contains resource if {
	some change in input.resource_changes
	change.mode == "managed"
	change.type == "terraform_data"
	some action in change.change.actions
	action in {"create", "update"}
	stand_in := object.get(change.change, ["after", "input"], {})
	is_string(object.get(stand_in, "resource_type", null))
	resource := {
		"address": change.address,
		"type": stand_in.resource_type,
		"name": change.name,
		"provider": object.get(change, "provider_name", ""),
		"values": object.remove(stand_in, ["resource_type"]),
	}
}

# The planned resources of the given types.
resources(types) := {resource |
	some resource in planned_resources
	resource.type in types
}

# A value the plan already knows, or the default (unknown values are absent from `after`).
value(resource, path, fallback) := object.get(resource.values, path, fallback)

# The library's parameters, each overridable in data.policy_gate_parameters.
default_parameters := {
	"required_tags": ["owner", "environment"],
	"aws_allowed_regions": ["eu-west-1", "eu-central-1", "us-east-1"],
	"azure_allowed_locations": ["westeurope", "northeurope", "eastus"],
	"gcp_allowed_regions": ["europe-west1", "europe-west4", "us-central1", "EU", "US"],
	"aws_allowed_instance_types": ["t3.*", "t3a.*", "t4g.*", "m6i.*", "m6g.*", "m7i.*", "m7g.*", "c6i.*", "c7g.*", "r6i.*", "r6g.*", "db.t3.*", "db.t4g.*", "db.m6g.*", "db.r6g.*"],
	"azure_allowed_vm_sizes": ["Standard_B*", "Standard_D2s_v5", "Standard_D4s_v5", "Standard_D8s_v5", "Standard_E2s_v5", "Standard_E4s_v5"],
	"gcp_allowed_machine_types": ["e2-*", "n2-standard-2", "n2-standard-4", "n2-standard-8", "t2d-*", "db-f1-micro", "db-g1-small", "db-custom-*"],
	"denied_instance_sizes": ["*.metal*", "*.16xlarge", "*.24xlarge", "*.32xlarge", "*.48xlarge", "*-standard-96", "*-highmem-*"],
	"min_log_retention_days": 365,
	"min_tls_version": "1.2",
	"admin_ports": [22, 3389, 5985, 5986],
}

parameter(name) := value if {
	value := data.policy_gate_parameters[name]
} else := default_parameters[name]

# Whether a text matches one of the glob patterns (`*` within a dotted or dashed segment run).
matches_any(text, patterns) if {
	some pattern in patterns
	glob.match(pattern, [], text)
}

# CIDRs that mean "anyone on the Internet".
open_cidrs := {"0.0.0.0/0", "::/0", "*", "Internet", "Any", "any", "internet"}

# Whether a port range "from-to" (numbers or strings, "*" for all) includes an admin port.
range_includes_admin_port(from, to) if {
	some port in parameter("admin_ports")
	to_number(from) <= port
	port <= to_number(to)
}

# Versions such as "1.2", "TLS1_2", "TLS_1_2", "TLSv1.2_2021" as a number (1.2) for comparison.
tls_number(version) := to_number(concat(".", [major, minor])) if {
	parts := regex.find_all_string_submatch_n(`(\d)[._](\d)`, version, 1)
	major := parts[0][1]
	minor := parts[0][2]
}

tls_below_minimum(version) if tls_number(version) < to_number(parameter("min_tls_version"))

# Tag keys a tags map lacks (compared case-insensitively).
missing_keys(tags, required) := {key |
	some key in required
	present := {lower(k) | some k, _ in tags}
	not lower(key) in present
}

# The map at values[key], or {} when it is null, unknown or not a map.
map_at(values, key) := found if {
	found := values[key]
	is_object(found)
} else := {}

# The list at values[key], or [] when it is null, unknown or not a list.
list_at(values, key) := found if {
	found := values[key]
	is_array(found)
} else := []
