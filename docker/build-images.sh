#!/usr/bin/env bash
# Builds the images the pipes run in, each only when its inputs changed:
#   1. the base       docker.io/library/node:<version>-bookworm-slim   (docker/base/build-local.sh)
#   2. the scanners   docker.io/bitbucket-pipes/security-tools:<version> (docker/security-tools/)
#   3. the IaC tools  docker.io/bitbucket-pipes/iac-tools:<version>      (docker/iac-tools/)
#   4. each pipe named on the command line, docker.io/<package.json pipe.image>:<package.json version>,
#      FROM the tools image its Dockerfile names: `ARG SECURITY_TOOLS_IMAGE=...` or `ARG IAC_TOOLS_IMAGE=...`
#
#   docker/build-images.sh                      base, security-tools and iac-tools
#   docker/build-images.sh security-gate        ... and pipes/security-gate (after `npm run build` of it)
#   docker/build-images.sh path/to/pipe-folder  ... and a pipe folder as it is (its dist/ already built)
#
# Every image gets two tags: its human one and `inputs-<hash>`, a hash of everything that went into
# it (recipe, Dockerfile, versions, copied files, and its parent's hash). A build whose inputs tag
# already exists is skipped, so a second run takes seconds. FORCE=1 rebuilds all.
# Starts the engine first (docker/engine.sh start) and prints how long each step took.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=docker/versions.env
. "$here/versions.env"
export PIPES_CACHE=${PIPES_CACHE:-/var/cache/bitbucket-pipes}

BASE_IMAGE="docker.io/library/$NODE_IMAGE_TAG"
TOOLS_IMAGE="docker.io/bitbucket-pipes/security-tools:$SECURITY_TOOLS_VERSION"
IAC_IMAGE="docker.io/bitbucket-pipes/iac-tools:$IAC_TOOLS_VERSION"

log() { printf '\033[36m▶ %s\033[0m\n' "$*" >&2; }
fail() { printf '%s\n' "$*" >&2; exit 1; }

# A Dockerfile's ARG default must be the pin in versions.env, or a laptop build would differ.
expect_arg() { # dockerfile name value
  grep -qx "ARG $2=$3" "$1" || fail "$1: expected 'ARG $2=$3' (docker/versions.env); update one of the two"
}

# The hash of some text (versions, the parent's hash) and of files, named relative to a folder.
inputs_hash() { # text folder file...
  local text=$1 folder=$2
  shift 2
  { printf '%s\n' "$text"; for f in "$@"; do printf '%s ' "$f"; sha256sum <"$folder/$f"; done; } |
    sha256sum | cut -c1-16
}

# Skips the build when <repository>:inputs-<hash> exists (re-pointing the human tag to it),
# otherwise runs the build command (its output in $PIPES_CACHE/logs/<name>.log), then tags.
build_once() { # name image hash command...
  local name=$1 image=$2 hash=$3 repository=${2%:*} started=$SECONDS
  shift 3
  if [ -z "${FORCE:-}" ] && podman image exists "$repository:inputs-$hash"; then
    podman tag "$repository:inputs-$hash" "$image"
    printf '%-16s %-58s unchanged (inputs-%s)\n' "$name" "$image" "$hash" >&2
    return
  fi
  local logfile="$PIPES_CACHE/logs/$name.log"
  mkdir -p "$PIPES_CACHE/logs"
  log "$name: building $image (log: $logfile)"
  if ! "$@" >"$logfile" 2>&1; then
    tail -n 40 "$logfile" >&2
    fail "$name: the build failed; its whole log is $logfile"
  fi
  podman tag "$image" "$repository:inputs-$hash"
  # Older inputs tags: rmi removes the name, and the image too when that was its last name.
  local old
  # (No `--filter reference=`: it selects images, then lists all of their names.)
  for old in $(podman images --format '{{.Repository}}:{{.Tag}}'); do
    case $old in
      "$repository:inputs-$hash") ;;
      "$repository":inputs-*) podman rmi "$old" >/dev/null 2>&1 || true ;;
    esac
  done
  printf '%-16s %-58s built in %ss (inputs-%s)\n' "$name" "$image" $((SECONDS - started)) "$hash" >&2
}

build_base() {
  local hash
  hash=$(inputs_hash "$DEBIAN_SUITE $NODE_VERSION $NODE_IMAGE_TAG" "$here" base/build-local.sh)
  build_once base "$BASE_IMAGE" "$hash" bash "$here/base/build-local.sh"
  BASE_HASH=$hash
}

build_tools() {
  local dockerfile="$here/security-tools/Dockerfile" hash listing go_tools
  expect_arg "$dockerfile" NODE_IMAGE "$NODE_IMAGE_TAG@$NODE_IMAGE_DIGEST"
  for pin in SECURITY_TOOLS_VERSION CHECKOV_VERSION SEMGREP_VERSION TRIVY_VERSION GITLEAKS_VERSION; do
    expect_arg "$dockerfile" "$pin" "${!pin}"
  done
  # The Go tools first: their binaries are inputs (built once, ~7 min, when missing).
  listing=$(bash "$here/go-tools.sh")
  mapfile -t go_tools <<<"$listing"
  hash=$(inputs_hash "base $BASE_HASH $CHECKOV_VERSION $SEMGREP_VERSION $(sha256sum "${go_tools[@]}" | cut -d' ' -f1)" \
    "$here" security-tools/Dockerfile security-tools/install-python-tool.sh security-tools/build.sh \
    security-tools/smoke-test.sh)
  build_once security-tools "$TOOLS_IMAGE" "$hash" build_and_check_tools
  TOOLS_HASH=$hash
}

# Only an image that passes the offline smoke test gets its inputs tag. (One && chain: build_once
# runs this as an `if` condition, where `set -e` does not apply.)
build_and_check_tools() {
  NODE_IMAGE="$NODE_IMAGE_TAG" bash "$here/security-tools/build.sh" --pull=never &&
    bash "$here/security-tools/smoke-test.sh" "$TOOLS_IMAGE"
}

build_iac_tools() {
  local dockerfile="$here/iac-tools/Dockerfile" hash listing binaries
  expect_arg "$dockerfile" NODE_IMAGE "$NODE_IMAGE_TAG@$NODE_IMAGE_DIGEST"
  for pin in IAC_TOOLS_VERSION TERRAFORM_VERSION TOFU_VERSION OPA_VERSION CONFTEST_VERSION; do
    expect_arg "$dockerfile" "$pin" "${!pin}"
  done
  # The binaries are inputs (built once when missing: several minutes).
  listing=$(bash "$here/go-tools.sh" --iac)
  mapfile -t binaries <<<"$listing"
  hash=$(inputs_hash "base $BASE_HASH $(sha256sum "${binaries[@]}" | cut -d' ' -f1)" \
    "$here" iac-tools/Dockerfile iac-tools/build.sh iac-tools/smoke-test.sh)
  build_once iac-tools "$IAC_IMAGE" "$hash" build_and_check_iac_tools
  IAC_HASH=$hash
}

build_and_check_iac_tools() {
  NODE_IMAGE="$NODE_IMAGE_TAG" bash "$here/iac-tools/build.sh" --pull=never &&
    bash "$here/iac-tools/smoke-test.sh" "$IAC_IMAGE"
}

build_pipe() { # name or folder
  local dir name package image version hash revision files
  if [ -d "$1" ] && [[ "$1" == */* ]]; then
    dir=$(cd "$1" && pwd)
  else
    dir="$root/pipes/$1"
    [ -d "$dir" ] || fail "no pipe '$1': expected a folder pipes/$1 or a path to a pipe folder"
    package=$(node -p "require('$dir/package.json').name")
    log "$1: npm run build (turbo, $package)"
    (cd "$root" && npm run --silent build -- --filter="$package" --output-logs=errors-only) >&2 ||
      fail "$1: \`npm run build\` failed"
  fi
  name=$(basename "$dir")
  [ -f "$dir/dist/main.js" ] || fail "$dir/dist/main.js is missing: run \`npm run build\` first"
  local tools_arg tools_image tools_hash
  if grep -q '^ARG IAC_TOOLS_IMAGE=' "$dir/Dockerfile"; then
    expect_arg "$dir/Dockerfile" IAC_TOOLS_IMAGE "bitbucket-pipes/iac-tools:$IAC_TOOLS_VERSION"
    tools_arg=IAC_TOOLS_IMAGE tools_image=$IAC_IMAGE tools_hash=$IAC_HASH
  else
    expect_arg "$dir/Dockerfile" SECURITY_TOOLS_IMAGE "bitbucket-pipes/security-tools:$SECURITY_TOOLS_VERSION"
    tools_arg=SECURITY_TOOLS_IMAGE tools_image=$TOOLS_IMAGE tools_hash=$TOOLS_HASH
  fi
  image=docker.io/$(node -p "require('$dir/package.json').pipe.image")
  version=$(node -p "require('$dir/package.json').version")
  revision=$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)
  mapfile -t files < <(cd "$dir" && find Dockerfile .dockerignore package.json dist/main.js rules data policies \
    -type f 2>/dev/null | LC_ALL=C sort)
  hash=$(inputs_hash "tools $tools_hash $version $revision" "$dir" "${files[@]}")
  build_once "$name" "$image:$version" "$hash" \
    podman build --quiet --pull=never \
      --build-arg "$tools_arg=$tools_image" \
      --build-arg "VERSION=$version" \
      --build-arg "REVISION=$revision" \
      --build-arg "SOURCE=$(node -p "require('$dir/package.json').pipe.repository")" \
      --tag "$image:$version" "$dir"
}

started=$SECONDS
bash "$here/engine.sh" start
eval "$(bash "$here/engine.sh" env)"
build_base
build_tools
build_iac_tools
for pipe in "$@"; do build_pipe "$pipe"; done
printf 'images ready in %ss\n' $((SECONDS - started)) >&2
