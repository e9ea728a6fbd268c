#!/usr/bin/env bash
# A Docker Engine API on a machine without Docker: podman's Docker-compatible service.
#
#   docker/engine.sh start    install podman if missing, start the service, wait until it answers
#   docker/engine.sh stop     stop the service that `start` started
#   docker/engine.sh status   say whether the service answers (exit 1 when it does not)
#   docker/engine.sh env      print the variables a client needs:  eval "$(docker/engine.sh env)"
#
# Idempotent: `start` on a running service only checks it. Everything lives in
# $PIPES_CACHE/podman (default /var/cache/bitbucket-pipes/podman): the socket, containers.conf,
# the service's pid and log. On a laptop with Docker none of this is needed: use Docker's own socket.
set -euo pipefail

CACHE=${PIPES_CACHE:-/var/cache/bitbucket-pipes}
DIR="$CACHE/podman"
SOCKET="$DIR/podman.sock"
CONF="$DIR/containers.conf"
PIDFILE="$DIR/service.pid"
LOG="$DIR/service.log"

log() { printf '\033[36m▶ %s\033[0m\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

answers() { curl -fsS --max-time 2 --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1; }

install_packages() {
  local wanted=(podman buildah runc debootstrap uidmap fuse-overlayfs curl) missing=()
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  log "apt-get install ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Each setting is here because the default failed on these machines (see shared/notes/containers.md).
write_conf() {
  mkdir -p "$DIR"
  cat >"$CONF.tmp" <<'EOF'
# Written by docker/engine.sh: do not edit, it is rewritten on every start.
[containers]
# By default podman raises RLIMIT_NOFILE above this VM's hard limit (20000), which fails.
default_ulimits = []
# Host networking: containers reach the test run's services on 127.0.0.1, and no traffic goes to
# podman's private bridge range.
netns = "host"

[engine]
# crun fails here with "setrlimit RLIMIT_NOFILE: Operation not permitted".
runtime = "runc"
EOF
  mv "$CONF.tmp" "$CONF"
}

start() {
  install_packages
  write_conf
  if answers; then return; fi
  rm -f "$SOCKET"
  log "podman system service on $SOCKET"
  CONTAINERS_CONF="$CONF" setsid nohup podman system service --time=0 "unix://$SOCKET" >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 100); do
    if answers; then return; fi
    if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
      echo "podman system service exited; its log, $LOG:" >&2
      tail -n 20 "$LOG" >&2
      exit 1
    fi
    sleep 0.2
  done
  echo "podman system service did not answer on $SOCKET within 20 s; see $LOG" >&2
  exit 1
}

stop() {
  if [ -f "$PIDFILE" ]; then
    local pid
    pid=$(cat "$PIDFILE")
    # Only our own service: a reused pid may now belong to anything.
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "system service.*$SOCKET"; then
      kill "$pid"
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$PIDFILE"
  fi
  rm -f "$SOCKET"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if answers; then echo "answering on $SOCKET"; else echo "not answering on $SOCKET"; exit 1; fi ;;
  env)
    # DOCKER_BUILDKIT=0: podman serves the classic build endpoint only.
    printf 'export DOCKER_HOST=%q\nexport CONTAINERS_CONF=%q\nexport DOCKER_BUILDKIT=0\n' "unix://$SOCKET" "$CONF" ;;
  *) sed -n '2,11p' "$0"; exit 2 ;;
esac
