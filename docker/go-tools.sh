#!/usr/bin/env bash
# Trivy and gitleaks, the two scanners written in Go, as static binaries cached by version:
#   $PIPES_CACHE/go-tools/trivy-v<version>/trivy and $PIPES_CACHE/go-tools/gitleaks-v<version>/gitleaks
#
#   docker/go-tools.sh            make both if missing, print their paths
#   docker/go-tools.sh --env      print `export PATH=...` with both folders:  eval "$(docker/go-tools.sh --env)"
#   docker/go-tools.sh --release  make them from the projects' GitHub release archives instead of
#                                 source (for a machine without Go), checked against the SHA-256 in
#                                 docker/versions.env
#
# From source, they are built with `go install` from the Go module proxy (about 7 minutes for Trivy
# on 2 cores, once), as the projects' own release builds do: CGO off, version stamped in.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=docker/versions.env
. "$here/versions.env"

CACHE=${PIPES_CACHE:-/var/cache/bitbucket-pipes}
TRIVY_DIR="$CACHE/go-tools/trivy-v$TRIVY_VERSION"
GITLEAKS_DIR="$CACHE/go-tools/gitleaks-v$GITLEAKS_VERSION"

log() { printf '\033[36m▶ %s\033[0m\n' "$*" >&2; }

# go install into a temporary folder, moved into place only when it succeeded.
go_install() { # dir module@version ldflags [env...]
  local dir=$1 module=$2 ldflags=$3 tmp
  shift 3
  command -v go >/dev/null || { echo "Go is needed to build $module (or use: $0 --release)" >&2; exit 1; }
  # The images are linux/amd64, and `go install` cannot cross-compile into GOBIN.
  [ "$(go env GOOS)/$(go env GOARCH)" = linux/amd64 ] ||
    { echo "go install builds for $(go env GOOS)/$(go env GOARCH), the images need linux/amd64: use $0 --release" >&2; exit 1; }
  log "go install $module"
  tmp=$(mktemp -d "$CACHE/go-tools/.build.XXXXXX")
  env CGO_ENABLED=0 "$@" GOBIN="$tmp" go install -ldflags "$ldflags" "$module" || { rm -rf "$tmp"; exit 1; }
  mkdir -p "$dir" && mv "$tmp"/* "$dir/" && rmdir "$tmp"
}

# A release archive, checked against its pinned SHA-256 before anything is extracted.
release_install() { # dir binary url sha256
  local dir=$1 binary=$2 url=$3 sha=$4 tmp
  log "download $url"
  tmp=$(mktemp -d "$CACHE/go-tools/.download.XXXXXX")
  if ! curl -fsSL --retry 3 --connect-timeout 30 -o "$tmp/archive.tar.gz" "$url" ||
    ! echo "$sha  $tmp/archive.tar.gz" | sha256sum --check --quiet; then
    rm -rf "$tmp"
    echo "$url: download failed or its SHA-256 is not $sha (docker/versions.env)" >&2
    exit 1
  fi
  tar -xzf "$tmp/archive.tar.gz" -C "$tmp" "$binary"
  mkdir -p "$dir" && mv "$tmp/$binary" "$dir/" && rm -rf "$tmp"
}

ensure() { # source: "go" or "release"
  mkdir -p "$CACHE/go-tools"
  if [ ! -x "$TRIVY_DIR/trivy" ]; then
    if [ "$1" = release ]; then
      release_install "$TRIVY_DIR" trivy \
        "https://github.com/aquasecurity/trivy/releases/download/v$TRIVY_VERSION/trivy_${TRIVY_VERSION}_Linux-64bit.tar.gz" \
        "$TRIVY_RELEASE_SHA256"
    else
      go_install "$TRIVY_DIR" "github.com/aquasecurity/trivy/cmd/trivy@v$TRIVY_VERSION" \
        "-s -w -X github.com/aquasecurity/trivy/pkg/version/app.ver=$TRIVY_VERSION" GOEXPERIMENT=jsonv2
    fi
  fi
  if [ ! -x "$GITLEAKS_DIR/gitleaks" ]; then
    if [ "$1" = release ]; then
      release_install "$GITLEAKS_DIR" gitleaks \
        "https://github.com/gitleaks/gitleaks/releases/download/v$GITLEAKS_VERSION/gitleaks_${GITLEAKS_VERSION}_linux_x64.tar.gz" \
        "$GITLEAKS_RELEASE_SHA256"
    else
      go_install "$GITLEAKS_DIR" "github.com/zricethezav/gitleaks/v8@v$GITLEAKS_VERSION" \
        "-s -w -X github.com/zricethezav/gitleaks/v8/version.Version=v$GITLEAKS_VERSION"
    fi
  fi
}

case "${1:-}" in
  "") ensure go; printf '%s\n' "$TRIVY_DIR/trivy" "$GITLEAKS_DIR/gitleaks" ;;
  --release) ensure release; printf '%s\n' "$TRIVY_DIR/trivy" "$GITLEAKS_DIR/gitleaks" ;;
  --env) echo "export PATH=$(printf %q "$TRIVY_DIR:$GITLEAKS_DIR"):\"\$PATH\"" ;;
  *) sed -n '2,12p' "$0"; exit 2 ;;
esac
