#!/usr/bin/env bash
# Installs the Debian packages that building (`build`) or the demo, tests and benchmarks (`all`, the default)
# need, when something is missing. As root it runs apt-get; otherwise it prints the command to run.
# --check only says what is missing and fails: `make build` runs under `sudo make install`, which must not install
# packages behind the administrator's back.
set -euo pipefail
check=
if [ "${1:-}" = --check ]; then
    check=1
    shift
fi
packages=(
    gcc libc6-dev      # NativeAOT links gpdaemon and gpctl with the system toolchain
    scdoc              # the manual pages (packaging/man)
)
[ "${1:-all}" = build ] || packages+=(
    openconnect        # the tunnel engine
    vpnc-scripts       # the default --script openconnect configures routes and DNS with
    iproute2 procps util-linux passwd   # ip, pgrep, runuser/setpriv/flock, useradd (permission tests)
    bsdutils           # script: a real pseudo-terminal for gpctl's prompts
    systemd-container  # systemd-nspawn: the tests under a real systemd
    socat              # the benchmarks' baseline Unix-socket client, and a raw client in tests
    hyperfine          # the benchmarks' command timer
    man-db             # man --warnings and lexgrog check the manual pages
    zsh fish           # the shell completions are run (fish) and parsed (zsh) by the real shells
    debhelper lintian  # make deb (dpkg-buildpackage with dh) and the package's checks
    chromium           # the real browser of the single sign-on tests (driven headless over DevTools)
    desktop-file-utils xdg-utils   # desktop-file-validate, update-desktop-database, xdg-mime (the callback handler)
)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if ! command -v dotnet >/dev/null 2>&1; then
    echo "The .NET 10 SDK is needed (dotnet on PATH)." >&2
    exit 1
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ -n "$check" ] || [ "$(id -u)" -ne 0 ]; then
    echo "Missing packages: ${missing[*]}" >&2
    echo "Install them with: sudo make deps (or sudo apt-get install ${missing[*]})" >&2
    exit 1
fi
echo "Installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
