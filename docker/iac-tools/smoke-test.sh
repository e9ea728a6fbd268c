#!/usr/bin/env bash
# Proves that an iac-tools image works with no network at all (`--network none`): each tool reports
# its pinned version, Terraform and OpenTofu plan and apply a small configuration on the local
# backend, OPA evaluates a policy over that plan and Conftest fails it. Exits non-zero on the first
# tool that does not.
#
#   docker/iac-tools/smoke-test.sh [IMAGE]     default: the version in docker/versions.env
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=docker/versions.env
. "$here/../versions.env"
IMAGE=${1:-docker.io/bitbucket-pipes/iac-tools:$IAC_TOOLS_VERSION}
CLI=${CONTAINER_CLI:-podman}

project=$(mktemp -d)
trap 'rm -rf "$project"' EXIT
cat >"$project/main.tf" <<'TF'
resource "terraform_data" "bucket" {
  input = { name = "reports", public = true }
}
TF
mkdir -p "$project/policy"
cat >"$project/policy/public.rego" <<'REGO'
package main

deny contains msg if {
  some change in input.resource_changes
  change.change.after.input.public == true
  msg := sprintf("%s is public", [change.address])
}
REGO

run() { "$CLI" run --rm --network none -v "$project:/src" -w /src "$IMAGE" sh -c "$1"; }
check() { # description, command, pattern its output must hold
  local output
  output=$(run "$2" 2>&1) || true
  if grep -q -- "$3" <<<"$output"; then
    printf '  ok  %s\n' "$1"
  else
    printf 'FAIL  %s: no "%s" in the output of: %s\n' "$1" "$3" "$2" >&2
    tail -n 30 <<<"$output" >&2
    exit 1
  fi
}

echo "$IMAGE, offline:"
run 'cat /opt/iac-tools/VERSIONS' | sed 's/^/  /'
check "terraform version" "terraform version" "^Terraform v$TERRAFORM_VERSION\$"
check "tofu version" "tofu version" "^OpenTofu v$TOFU_VERSION\$"
check "opa version" "opa version" "^Version: $OPA_VERSION\$"
check "conftest --version" "conftest --version" "Conftest: $CONFTEST_VERSION"
check "terraform plan and show -json" \
  "rm -rf .terraform* terraform.tfstate* && terraform init -input=false >/dev/null && terraform plan -out=tf.plan >/dev/null && terraform show -json tf.plan >plan.json && cat plan.json" \
  '"terraform_data.bucket"'
check "tofu apply" \
  "rm -rf .terraform* terraform.tfstate* && tofu init -input=false >/dev/null && tofu apply -auto-approve" \
  "Apply complete! Resources: 1 added"
check "opa eval over the plan" "opa eval -d policy -i plan.json -f raw 'data.main.deny'" "terraform_data.bucket is public"
check "conftest test fails the plan" "conftest test -p policy plan.json" "terraform_data.bucket is public"
