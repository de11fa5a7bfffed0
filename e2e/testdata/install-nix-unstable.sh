#!/usr/bin/env bash
# Test-only: unpacks Debian unstable's nix-bin (2.34 when written; dynamic
# derivations need 2.30 or newer) into the private prefix $1, as
# scripts/install-nix.sh unpacks trixie's: apt-get only downloads, into a
# private state; dpkg -x unpacks; patchelf points the binary at the prefix's
# own loader and libraries. Nothing of the base system is installed or
# upgraded, and no store or configuration is touched: the test that uses it
# gives it a store and a configuration of its own.
#
# Idempotent: an existing prefix holding a Nix of 2.30 or newer is kept.
set -euo pipefail

prefix=${1:?usage: install-nix-unstable.sh PREFIX}

nix_ok() {
  local v
  v=$("$1" --version 2>/dev/null | sed -n 's/.* \([0-9]\+\)\.\([0-9]\+\)\..*/\1 \2/p') || return 1
  [ -n "$v" ] || return 1
  set -- $v
  [ "$1" -gt 2 ] || { [ "$1" -eq 2 ] && [ "$2" -ge 30 ]; }
}

if [ -x "$prefix/usr/bin/nix" ] && nix_ok "$prefix/usr/bin/nix"; then
  exit 0
fi

uri=$( { cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {print $2}'
        cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
          sed 's/\[[^]]*\]//' | awk '/^deb / {print $2}'
      } | grep -v security | head -n1 || true)
[ -n "$uri" ] || { echo "install-nix-unstable: no Debian archive URI in /etc/apt/sources*" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work" "$prefix.tmp"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/parts" "$work/prefs"
: >"$work/status"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri sid main" >"$work/sources.list"
apt_private=(-o "Dir::State::status=$work/status" -o "Dir::State::Lists=$work/lists"
  -o "Dir::Cache=$work/cache" -o "Dir::Etc::SourceList=$work/sources.list"
  -o "Dir::Etc::SourceParts=$work/parts" -o "Dir::Etc::PreferencesParts=$work/prefs"
  -o "APT::Install-Recommends=false" -o "Debug::NoLocking=true" -o "APT::Sandbox::User=root")
apt-get "${apt_private[@]}" update -qq
DEBIAN_FRONTEND=noninteractive apt-get "${apt_private[@]}" install -y -qq --download-only nix-bin >/dev/null

rm -rf "$prefix.tmp"
mkdir -p "$prefix.tmp"
for deb in "$work"/cache/archives/*.deb; do dpkg -x "$deb" "$prefix.tmp"; done
lib="$prefix/usr/lib/x86_64-linux-gnu"
patchelf --set-interpreter "$lib/ld-linux-x86-64.so.2" --force-rpath --set-rpath "$lib" \
  "$prefix.tmp/usr/bin/nix"
rm -rf "$prefix"
mkdir -p "$(dirname "$prefix")"
mv "$prefix.tmp" "$prefix"
nix_ok "$prefix/usr/bin/nix" || { echo "install-nix-unstable: $("$prefix/usr/bin/nix" --version) is older than 2.30" >&2; exit 1; }
