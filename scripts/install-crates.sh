#!/usr/bin/env bash
# Installs the Debian packages of the Rust crates the example workspace and the tests
# use. Cargo reads them from /usr/share/cargo/registry through a `directory` source.
# Never from another suite, and never when that would upgrade base libraries.
set -euo pipefail

packages=(
  librust-serde-dev
  librust-serde-derive-dev
  librust-serde-json-dev
  librust-libc-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "install-crates: must run as root to install: ${missing[*]}" >&2
  exit 1
fi
apt-get update -qq
# Refuse an install that would upgrade what the base system already has.
upgrades=$(apt-get -s install --no-install-recommends "${missing[@]}" | awk '$1 == "Inst" && $3 ~ /^\[/ {print $2}')
if [ -n "$upgrades" ]; then
  echo "install-crates: installing ${missing[*]} would upgrade: $upgrades; refusing" >&2
  exit 1
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
