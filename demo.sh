#!/usr/bin/env bash
# gpdaemon demo: a real gpdaemon and the real openconnect against the built-in fake GlobalProtect portal, in a
# throwaway directory, as root or as a normal user (the tunnel runs without a tun device: openconnect --script-tun).
#   make demo                       # the fake portal
#   PORTAL=vpn.example.com make demo   # a real portal (asks for the password; run as root for a real tun device)
set -euo pipefail
OUT=${OUT:-$(cd "$(dirname "$0")" && pwd)/out}
work=$(mktemp -d /tmp/gpdaemon-demo.XXXXXX)
fake_pid="" daemon_pid=""
cleanup() {
    [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
    [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
gpctl() { echo "\$ gpctl $*"; "$OUT/gpctl" --socket "$work/run/gpdaemon.sock" "$@"; }

if ! command -v openconnect >/dev/null 2>&1 && [ ! -x /usr/sbin/openconnect ]; then
    echo "openconnect is not installed: apt-get install openconnect" >&2
    exit 1
fi

if [ -z "${PORTAL:-}" ]; then
    step "Starting the fake GlobalProtect portal+gateway (user 'test', password 'secret')"
    "$OUT/fake-globalprotect" --listen 127.0.0.1:0 >"$work/fake.log" 2>&1 &
    fake_pid=$!
    for _ in $(seq 100); do grep -q '^pin ' "$work/fake.log" 2>/dev/null && break; sleep 0.1; done
    PORTAL=$(awk '/^listening/ {print $2}' "$work/fake.log")
    PIN=$(awk '/^pin/ {print $2}' "$work/fake.log")
    echo "portal $PORTAL, certificate $PIN"
    cat >"$work/gpdaemon.toml" <<TOML
servercert = "$PIN"
[openconnect]
script_tun = true
TOML
    login=(--user test --passwd-on-stdin)
    password=$'secret\n'
else
    : >"$work/gpdaemon.toml"
    [ "$(id -u)" -eq 0 ] || printf '[openconnect]\nscript_tun = true\n' >"$work/gpdaemon.toml"
    login=()
    password=""
fi

step "Starting gpdaemon in the foreground of this demo (log: $work/gpdaemon.log)"
"$OUT/gpdaemon" --config "$work/gpdaemon.toml" --runtime-dir "$work/run" --state-dir "$work/state" >"$work/gpdaemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 100); do [ -S "$work/run/gpdaemon.sock" ] && break; sleep 0.1; done
gpctl status || true

step "A second gpdaemon on the same runtime directory is refused"
"$OUT/gpdaemon" --config "$work/gpdaemon.toml" --runtime-dir "$work/run" --state-dir "$work/state" || echo "(exit $?)"

step "Connecting"
if [ -n "$password" ]; then
    printf '%s' "$password" | gpctl connect "$PORTAL" "${login[@]}"
else
    gpctl connect "$PORTAL"
fi

step "Status"
gpctl status
gpctl status --json

step "A second connect is answered by the daemon, not by a second tunnel"
gpctl connect "$PORTAL" || echo "(exit $?: already connected)"
echo "openconnect processes for this daemon: $(pgrep -c -f -- "$work/run/" || true)"

step "Disconnecting (openconnect logs out at the gateway)"
gpctl disconnect
gpctl status || true

step "What the daemon logged"
cat "$work/gpdaemon.log"
