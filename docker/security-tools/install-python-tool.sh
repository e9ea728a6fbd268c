#!/bin/sh
# Installs one PyPI tool in a virtual environment of its own, /opt/<name> (Checkov's and Semgrep's
# pinned dependencies conflict), links its commands into /usr/local/bin, and records it in the
# image's manifest, /opt/security-tools/VERSIONS, after checking that the wheel pip installed is the
# one docker/security-tools/build.sh pinned by SHA-256.
#
#   install-python-tool.sh NAME VERSION WHEEL_SHA256 COMMAND...
#
# A build may pass the host's CA bundle as the build secret `ca-certificates` (for a machine that
# reaches PyPI through a TLS-inspecting proxy); the Dockerfile mounts it at
# /run/secrets/ca-certificates.crt for the pip steps only, so the image neither keeps nor needs it.
set -eu
name=$1 version=$2 wheel_sha256=$3
shift 3

if [ -s /run/secrets/ca-certificates.crt ]; then export PIP_CERT=/run/secrets/ca-certificates.crt; fi
export PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore

python3 -m venv "/opt/$name"
"/opt/$name/bin/pip" install --quiet --report "/tmp/$name-install.json" "$name==$version"

# pip's installation report names the file it installed and its SHA-256.
installed_sha256=$(python3 - "/tmp/$name-install.json" "$name" <<'EOF'
import json, sys
report, name = json.load(open(sys.argv[1])), sys.argv[2]
item = next(i for i in report["install"] if i["metadata"]["name"].lower() == name)
print(item["download_info"]["archive_info"]["hashes"]["sha256"])
EOF
)
rm -f "/tmp/$name-install.json"
if [ "$installed_sha256" != "$wheel_sha256" ]; then
  echo "$name $version: pip installed a wheel with SHA-256 $installed_sha256, expected $wheel_sha256" >&2
  exit 1
fi

for command in "$@"; do ln -s "/opt/$name/bin/$command" "/usr/local/bin/$command"; done
mkdir -p /opt/security-tools
"/opt/$name/bin/pip" freeze --all >"/opt/security-tools/$name.requirements.txt"
echo "$name $version sha256:$wheel_sha256 pypi" >>/opt/security-tools/VERSIONS
