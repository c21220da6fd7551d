#!/usr/bin/env bash
# Installs the Debian 12 packages fiscpos builds and tests with. Idempotent; run as root.
set -euo pipefail

packages=(
    build-essential cmake pkg-config clang-format python3 openssl
    libpoco-dev nlohmann-json3-dev libxml2-dev libxml2-utils libssl-dev
    libboost-test-dev libqrencode-dev libpng-dev libsqlite3-dev
    python3-aiosmtpd zbar-tools postgresql libpq-dev gettext
    clang libclang-rt-14-dev lld  # the sanitizer builds (scripts/sanitize.sh)
    dpkg-dev file                 # the Debian packages: dpkg-shlibdeps, cpack (scripts/package.sh)
    chromium fonts-dejavu-core    # the audit desk in a headless browser (tests/browser, label
                                  # browser), laid out in the font its width checks assume
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: every package is already installed"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages: ${missing[*]}" >&2
    echo "install-deps: run this script as root (or with sudo) to install them" >&2
    exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
