#!/usr/bin/env bash
# Builds docker.io/bitbucket-pipes/security-tools:<SECURITY_TOOLS_VERSION> from this folder's Dockerfile.
#
#   docker/security-tools/build.sh [extra build options, e.g. --tag NAME]
#
# It stages the build context in $PIPES_CACHE/contexts/security-tools: the Dockerfile, the pip
# install script, and bin/trivy + bin/gitleaks from docker/go-tools.sh (GO_TOOLS=release takes the
# release archives instead of building from source). It pins each tool's SHA-256: the Go binaries'
# own, and for Checkov and Semgrep that of the PyPI wheel (downloaded once into $PIPES_CACHE/wheels),
# which the Dockerfile checks against what pip installs.
#
# Environment:
#   NODE_IMAGE     the base; default the published tag@digest from docker/versions.env.
#                  docker/build-images.sh passes the bare tag of the local stand-in.
#   CONTAINER_CLI  podman (default) or docker (BuildKit). The host's CA bundle goes to the build as
#                  the secret `ca-certificates`, so pip in the build trusts what the host trusts;
#                  the image does not keep it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=docker/versions.env
. "$here/../versions.env"

CACHE=${PIPES_CACHE:-/var/cache/bitbucket-pipes}
CLI=${CONTAINER_CLI:-podman}
NODE_IMAGE=${NODE_IMAGE:-$NODE_IMAGE_TAG@$NODE_IMAGE_DIGEST}
IMAGE="docker.io/bitbucket-pipes/security-tools:$SECURITY_TOOLS_VERSION"
HOST_CA=/etc/ssl/certs/ca-certificates.crt

log() { printf '\033[36m▶ %s\033[0m\n' "$*" >&2; }

# The SHA-256 of the wheel pip will install in the image (CPython 3.11 on glibc 2.36, x86_64:
# Debian bookworm), whatever machine runs this. A venv of its own, so no system pip is needed.
wheel_sha256() { # name version
  local dir="$CACHE/wheels/$1-$2" pip="$CACHE/wheels/.venv/bin/pip" platforms=()
  if ! compgen -G "$dir/*.whl" >/dev/null; then
    [ -x "$pip" ] || python3 -m venv "$CACHE/wheels/.venv"
    for minor in $(seq 36 -1 17); do platforms+=(--platform "manylinux_2_${minor}_x86_64"); done
    log "pip download $1==$2"
    "$pip" download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
      --python-version 3.11 --implementation cp --abi cp311 "${platforms[@]}" \
      -d "$dir.tmp" "$1==$2"
    mv "$dir.tmp" "$dir"
  fi
  sha256sum "$dir"/*.whl | cut -d' ' -f1
}

if [ "${GO_TOOLS:-source}" = release ]; then
  listing=$(bash "$here/../go-tools.sh" --release)
else
  listing=$(bash "$here/../go-tools.sh")
fi
mapfile -t go_tools <<<"$listing"
context="$CACHE/contexts/security-tools"
rm -rf "$context" && mkdir -p "$context/bin"
cp "$here/Dockerfile" "$here/install-python-tool.sh" "$context/"
# Hard links when the cache is one file system (no copy of 180 MB), copies otherwise.
for tool in "${go_tools[@]}"; do ln -f "$tool" "$context/bin/" 2>/dev/null || cp "$tool" "$context/bin/"; done

build_args=(
  --build-arg "NODE_IMAGE=$NODE_IMAGE"
  --build-arg "SECURITY_TOOLS_VERSION=$SECURITY_TOOLS_VERSION"
  --build-arg "CHECKOV_VERSION=$CHECKOV_VERSION"
  --build-arg "CHECKOV_WHEEL_SHA256=$(wheel_sha256 checkov "$CHECKOV_VERSION")"
  --build-arg "SEMGREP_VERSION=$SEMGREP_VERSION"
  --build-arg "SEMGREP_WHEEL_SHA256=$(wheel_sha256 semgrep "$SEMGREP_VERSION")"
  --build-arg "TRIVY_VERSION=$TRIVY_VERSION"
  --build-arg "TRIVY_SHA256=$(sha256sum "$context/bin/trivy" | cut -d' ' -f1)"
  --build-arg "GITLEAKS_VERSION=$GITLEAKS_VERSION"
  --build-arg "GITLEAKS_SHA256=$(sha256sum "$context/bin/gitleaks" | cut -d' ' -f1)"
)
options=()
[ -f "$HOST_CA" ] && options+=(--secret "id=ca-certificates,src=$HOST_CA")
# podman: RUN steps on the host network (as containers.conf says too), never podman's bridge.
[ "$CLI" = podman ] && options+=(--network host)

log "$CLI build $IMAGE (FROM $NODE_IMAGE)"
"$CLI" build "${options[@]}" "${build_args[@]}" --tag "$IMAGE" "$@" "$context" >&2
echo "$IMAGE"
