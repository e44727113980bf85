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
    dbus-daemon        # a private D-Bus for the suspend-and-resume tests (a stand-in logind on it)
    socat              # the benchmarks' baseline Unix-socket client, and a raw client in tests
    libxml2-utils      # xmllint: tests/run-all.sh sums the test results from their TRX files
    hyperfine          # the benchmarks' command timer
    man-db             # man --warnings and lexgrog check the manual pages
    zsh fish           # the shell completions are run (fish) and parsed (zsh) by the real shells
    debhelper lintian  # make deb (dpkg-buildpackage with dh) and the package's checks
    chromium           # the real browser of the single sign-on tests (driven headless over DevTools)
    desktop-file-utils xdg-utils   # desktop-file-validate, update-desktop-database, xdg-mime (the callback handler)
)
# systemd-resolved for the DNS tests, unpacked under obj/deps and laid over /usr inside a test container only:
# installing the package on this machine would turn its /etc/resolv.conf into a link to resolved's stub.
# The version must be the installed systemd's (it links against libsystemd-shared of that exact version).
mode=${1:-all}
resolved_tree=$(cd "$(dirname "$0")/.." && pwd)/obj/deps/systemd-resolved
fetch_resolved() {
    [ "$mode" = build ] && return 0
    [ -x "$resolved_tree/usr/lib/systemd/systemd-resolved" ] && return 0
    local version download
    version=$(dpkg-query -W -f='${Version}' systemd)
    download=$(mktemp -d)
    (cd "$download" && apt-get download -qq "systemd-resolved=$version" 2>/dev/null) || {
        [ "$(id -u)" -eq 0 ] && apt-get update -qq && (cd "$download" && apt-get download -qq "systemd-resolved=$version")
    } || { echo "cannot download systemd-resolved $version (the DNS tests need it)" >&2; rm -rf "$download"; exit 1; }
    rm -rf "$resolved_tree" && mkdir -p "$resolved_tree"
    dpkg-deb -x "$download"/systemd-resolved_*.deb "$resolved_tree"
    # Merged /usr: the package's /lib and /sbin belong under usr/.
    cp -a "$resolved_tree/lib/." "$resolved_tree/usr/lib/" && rm -rf "$resolved_tree/lib" "$resolved_tree/sbin" "$resolved_tree/etc"
    rm -rf "$download"
}
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if ! command -v dotnet >/dev/null 2>&1; then
    echo "The .NET 10 SDK is needed (dotnet on PATH)." >&2
    exit 1
fi
[ ${#missing[@]} -eq 0 ] && { [ -n "$check" ] || fetch_resolved; exit 0; }
if [ -n "$check" ] || [ "$(id -u)" -ne 0 ]; then
    echo "Missing packages: ${missing[*]}" >&2
    echo "Install them with: sudo make deps (or sudo apt-get install ${missing[*]})" >&2
    exit 1
fi
echo "Installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fetch_resolved
