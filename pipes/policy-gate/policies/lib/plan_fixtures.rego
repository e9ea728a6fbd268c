# METADATA
# title: Inputs for the built-in library's unit tests
# description: >-
#   Builds the `resource_changes` part of `terraform show -json` output that the policies read,
#   so each test states only the resource it is about.
package policy_gate.fixtures

# A plan creating the given resources.
plan(changes) := {"format_version": "1.2", "resource_changes": changes}

# A resource the plan creates, with its planned values.
create(type, name, after) := {
	"address": sprintf("%s.%s", [type, name]),
	"mode": "managed",
	"type": type,
	"name": name,
	"provider_name": provider_of(type),
	"change": {"actions": ["create"], "before": null, "after": after},
}

# A resource the plan deletes: no policy judges what is going away.
delete(type, name, before) := {
	"address": sprintf("%s.%s", [type, name]),
	"mode": "managed",
	"type": type,
	"name": name,
	"provider_name": provider_of(type),
	"change": {"actions": ["delete"], "before": before, "after": null},
}

provider_of(type) := "registry.terraform.io/hashicorp/aws" if startswith(type, "aws_")

provider_of(type) := "registry.terraform.io/hashicorp/azurerm" if startswith(type, "azurerm_")

provider_of(type) := "registry.terraform.io/hashicorp/google" if startswith(type, "google_")

# Tags every tagging policy accepts.
good_tags := {"owner": "platform", "environment": "prod"}
