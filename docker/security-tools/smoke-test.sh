#!/usr/bin/env bash
# Proves that a security-tools image works with no network at all (`--network none`): each tool
# starts and reports its version, and each scanner finds an obvious problem in a small project
# written here (a public S3 bucket, a command injection, a committed AWS key). Exits non-zero on the
# first tool that does not.
#
#   docker/security-tools/smoke-test.sh [IMAGE]     default: the version in docker/versions.env
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=docker/versions.env
. "$here/../versions.env"
IMAGE=${1:-docker.io/bitbucket-pipes/security-tools:$SECURITY_TOOLS_VERSION}
CLI=${CONTAINER_CLI:-podman}

project=$(mktemp -d)
trap 'rm -rf "$project"' EXIT
mkdir -p "$project/terraform" "$project/app"
cat >"$project/terraform/main.tf" <<'EOF'
resource "aws_s3_bucket" "reports" {
  bucket = "acme-public-reports"
}

resource "aws_s3_bucket_acl" "reports" {
  bucket = aws_s3_bucket.reports.id
  acl    = "public-read"
}
EOF
cat >"$project/app/deploy.py" <<'EOF'
import os, sys
os.system("terraform apply " + sys.argv[1])
EOF
cat >"$project/rules.yml" <<'EOF'
rules:
  - id: os-system-injection
    languages: [python]
    severity: ERROR
    message: os.system with a concatenated argument runs whatever the caller passes
    pattern: os.system("..." + $X)
EOF
# Assembled at run time, so that this script itself holds no secret-looking text.
printf 'aws_access_key_id = %s%s\n' AKIA QYLPMN5HHHFPZAM2 >"$project/app/credentials.ini"

run() { "$CLI" run --rm --network none -v "$project:/src:ro" -w /src "$IMAGE" sh -c "$1"; }
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
run 'cat /opt/security-tools/VERSIONS' | sed 's/^/  /'
check "checkov --version" "checkov --version" "^$CHECKOV_VERSION\$"
check "semgrep --version" "semgrep --version" "^$SEMGREP_VERSION\$"
check "trivy --version" "trivy --version" "Version: $TRIVY_VERSION"
check "gitleaks version" "gitleaks version" "$GITLEAKS_VERSION"
check "node --version" "node --version" "^v$NODE_VERSION\$"
check "trivy config finds the public S3 bucket" \
  "trivy config --quiet --format json terraform" '"ID": "AWS-0092"'
check "checkov finds the public S3 bucket" \
  "checkov --quiet --compact --framework terraform -d terraform" "CKV_AWS_20"
check "semgrep runs a local rule" \
  "semgrep scan --config rules.yml --metrics=off --disable-version-check --json app" '"check_id":"os-system-injection"'
check "gitleaks finds the AWS key" \
  "gitleaks dir --no-banner --report-format json --report-path - app" '"RuleID": "aws-access-token"'
