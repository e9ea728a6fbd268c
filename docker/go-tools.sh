#!/usr/bin/env bash
# The tools written in Go, as static binaries cached by version in $PIPES_CACHE/go-tools/<tool>-v<version>/:
# the scanners Trivy and gitleaks (security-tools image), Terraform, OpenTofu, OPA and Conftest
# (iac-tools image), and fake-gcs-server (a Google Cloud Storage emulator for the tests only, in no image).
#
#   docker/go-tools.sh            make the scanners if missing, print their paths
#   docker/go-tools.sh --iac      make the IaC tools and the test-only tools if missing, print the IaC
#                                 tools' paths (the iac-tools image's inputs; ./run.sh setup runs this)
#   docker/go-tools.sh --test     make the test-only tools (fake-gcs-server) if missing, print their paths
#   docker/go-tools.sh --env      print `export PATH=...` with every folder:  eval "$(docker/go-tools.sh --env)"
#   docker/go-tools.sh --release  make the scanners from the projects' GitHub release archives instead of
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
TERRAFORM_DIR="$CACHE/go-tools/terraform-v$TERRAFORM_VERSION"
TOFU_DIR="$CACHE/go-tools/tofu-v$TOFU_VERSION"
OPA_DIR="$CACHE/go-tools/opa-v$OPA_VERSION"
CONFTEST_DIR="$CACHE/go-tools/conftest-v$CONFTEST_VERSION"
FAKE_GCS_DIR="$CACHE/go-tools/fake-gcs-server-v$FAKE_GCS_SERVER_VERSION"

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

# A module whose go.mod has replace directives (Terraform, OpenTofu) cannot be `go install`ed by
# version: build it inside its own source, fetched from the module proxy by `go mod download`.
go_build_module() { # dir module version package ldflags [patch function]
  local dir=$1 module=$2 version=$3 package=$4 ldflags=$5 patch=${6:-} src tmp work
  command -v go >/dev/null || { echo "Go is needed to build $module" >&2; exit 1; }
  log "go build $module@$version ($package)"
  src=$(go mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "$src" ] || { echo "go mod download $module@$version gave no source folder" >&2; exit 1; }
  tmp=$(mktemp -d "$CACHE/go-tools/.build.XXXXXX")
  work="$tmp/src" && cp -R "$src" "$work" && chmod -R u+w "$work"
  [ -z "$patch" ] || "$patch" "$work"
  mkdir "$tmp/bin"
  (cd "$work" && CGO_ENABLED=0 go build -mod=mod -trimpath -ldflags "$ldflags" -o "$tmp/bin/" "$package") ||
    { rm -rf "$tmp"; exit 1; }
  mkdir -p "$dir" && mv "$tmp"/bin/* "$dir/" && rm -rf "$tmp"
}

# Terraform's remote-state backends other than local, http, inmem, remote and cloud are nested Go
# modules that the module proxy does not serve (they have no tags of their own). Built from the
# proxy, Terraform therefore leaves them out: init.go and go.mod drop them, nothing else changes.
# (OpenTofu keeps all its backends in one module: its build has s3, pg, azurerm, gcs, ...)
terraform_without_nested_backends() { # source folder (a writable copy)
  local nested=(azure consul cos gcs kubernetes oss pg s3 oci) b edits=()
  for b in "${nested[@]}"; do
    edits+=(-dropreplace "github.com/hashicorp/terraform/internal/backend/remote-state/$b"
      -droprequire "github.com/hashicorp/terraform/internal/backend/remote-state/$b")
    sed -i -E "/internal\/backend\/remote-state\/$b\"/d" "$1/internal/backend/init/init.go"
  done
  sed -i -E '/return backend(Azure|Consul|Cos|GCS|Kubernetes|OSS|Pg|S3|OCI)\.New\(\)/d' "$1/internal/backend/init/init.go"
  (cd "$1" && go mod edit "${edits[@]}" -dropreplace github.com/hashicorp/terraform/internal/legacy \
    -droprequire github.com/hashicorp/terraform/internal/legacy)
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

# Terraform and OpenTofu stamp a release (not "-dev") with version.dev=no, as their release builds do.
ensure_iac() {
  mkdir -p "$CACHE/go-tools"
  [ -x "$TERRAFORM_DIR/terraform" ] ||
    go_build_module "$TERRAFORM_DIR" github.com/hashicorp/terraform "v$TERRAFORM_VERSION" . \
      "-s -w -X github.com/hashicorp/terraform/version.dev=no" terraform_without_nested_backends
  [ -x "$TOFU_DIR/tofu" ] ||
    go_build_module "$TOFU_DIR" github.com/opentofu/opentofu "v$TOFU_VERSION" ./cmd/tofu \
      "-s -w -X github.com/opentofu/opentofu/version.dev=no"
  [ -x "$OPA_DIR/opa" ] ||
    go_install "$OPA_DIR" "github.com/open-policy-agent/opa@v$OPA_VERSION" \
      "-s -w -X github.com/open-policy-agent/opa/v1/version.Version=$OPA_VERSION"
  [ -x "$CONFTEST_DIR/conftest" ] ||
    go_install "$CONFTEST_DIR" "github.com/open-policy-agent/conftest@v$CONFTEST_VERSION" \
      "-s -w -X github.com/open-policy-agent/conftest/internal/version.Version=$CONFTEST_VERSION"
}

# Test-only tools: services the integration tests run on 127.0.0.1 (testkit), never put in an image.
ensure_test() {
  mkdir -p "$CACHE/go-tools"
  [ -x "$FAKE_GCS_DIR/fake-gcs-server" ] ||
    go_install "$FAKE_GCS_DIR" "github.com/fsouza/fake-gcs-server@v$FAKE_GCS_SERVER_VERSION" "-s -w"
}

case "${1:-}" in
  "") ensure go; printf '%s\n' "$TRIVY_DIR/trivy" "$GITLEAKS_DIR/gitleaks" ;;
  --iac) ensure_iac; ensure_test; printf '%s\n' "$TERRAFORM_DIR/terraform" "$TOFU_DIR/tofu" "$OPA_DIR/opa" "$CONFTEST_DIR/conftest" ;;
  --test) ensure_test; printf '%s\n' "$FAKE_GCS_DIR/fake-gcs-server" ;;
  --release) ensure release; printf '%s\n' "$TRIVY_DIR/trivy" "$GITLEAKS_DIR/gitleaks" ;;
  --env) echo "export PATH=$(printf %q "$TRIVY_DIR:$GITLEAKS_DIR:$TERRAFORM_DIR:$TOFU_DIR:$OPA_DIR:$CONFTEST_DIR:$FAKE_GCS_DIR"):\"\$PATH\"" ;;
  *) sed -n '2,14p' "$0"; exit 2 ;;
esac
