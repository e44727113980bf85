#!/usr/bin/env bash
# `make bench`: measures gpdaemon and gpctl from $1 (default out/, as `make build` leaves them) against the targets of
# bench/RESULTS.md, prints the report and rewrites the generated part of bench/RESULTS.md. About three minutes.
# BENCH_COMPARE=DIR also measures a second build (e.g. framework-dependent) for startup, memory and `gpctl status`.
# Extra arguments go to the driver (bench/GpBench): --quick for a smoke run with few repetitions.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath "${1:-out}")
shift || true
for binary in gpdaemon gpctl fake-globalprotect; do
    [ -x "$out/$binary" ] || { echo "bench: $out/$binary is missing: run 'make build' first" >&2; exit 1; }
done

# hyperfine times the one-shot commands; socat is the baseline client; openconnect the baseline for connect.
missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v socat >/dev/null || missing+=(socat)
[ -x /usr/sbin/openconnect ] || missing+=(openconnect)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "bench: needs ${missing[*]}: sudo apt-get install ${missing[*]}" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

dotnet build bench/GpBench/GpBench.csproj -c Release --nologo -v quiet -o bench/bin
compare=()
if [ -n "${BENCH_COMPARE:-}" ]; then
    compare=(--compare "$(realpath "$BENCH_COMPARE")")
fi
exec bench/bin/gpbench --out "$out" --results bench/RESULTS.md --command "make bench" "${compare[@]}" "$@"
