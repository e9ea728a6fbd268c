#!/usr/bin/env bash
# Builds docker.io/bitbucket-pipes/iac-tools:<IAC_TOOLS_VERSION> from this folder's Dockerfile.
#
#   docker/iac-tools/build.sh [extra build options, e.g. --tag NAME]
#
# It stages the build context in $PIPES_CACHE/contexts/iac-tools: the Dockerfile and bin/terraform,
# bin/tofu, bin/opa, bin/conftest from `docker/go-tools.sh --iac`, and pins each binary's SHA-256,
# which the Dockerfile checks.
#
# Environment:
#   NODE_IMAGE     the base; default the published tag@digest from docker/versions.env.
#                  docker/build-images.sh passes the bare tag of the local stand-in.
#   CONTAINER_CLI  podman (default) or docker.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=docker/versions.env
. "$here/../versions.env"

CACHE=${PIPES_CACHE:-/var/cache/bitbucket-pipes}
CLI=${CONTAINER_CLI:-podman}
NODE_IMAGE=${NODE_IMAGE:-$NODE_IMAGE_TAG@$NODE_IMAGE_DIGEST}
IMAGE="docker.io/bitbucket-pipes/iac-tools:$IAC_TOOLS_VERSION"

listing=$(bash "$here/../go-tools.sh" --iac)
mapfile -t binaries <<<"$listing"

context="$CACHE/contexts/iac-tools"
rm -rf "$context" && mkdir -p "$context/bin"
cp "$here/Dockerfile" "$context/"
cp "${binaries[@]}" "$context/bin/"
sha() { sha256sum "$context/bin/$1" | cut -d' ' -f1; }

"$CLI" build "$@" \
  --build-arg "NODE_IMAGE=$NODE_IMAGE" \
  --build-arg "IAC_TOOLS_VERSION=$IAC_TOOLS_VERSION" \
  --build-arg "TERRAFORM_VERSION=$TERRAFORM_VERSION" --build-arg "TERRAFORM_SHA256=$(sha terraform)" \
  --build-arg "TOFU_VERSION=$TOFU_VERSION" --build-arg "TOFU_SHA256=$(sha tofu)" \
  --build-arg "OPA_VERSION=$OPA_VERSION" --build-arg "OPA_SHA256=$(sha opa)" \
  --build-arg "CONFTEST_VERSION=$CONFTEST_VERSION" --build-arg "CONFTEST_SHA256=$(sha conftest)" \
  --tag "$IMAGE" "$context"
