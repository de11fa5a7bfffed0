#!/usr/bin/env bash
# Installs Nix for cargo-nix-unit's tests and demo when no Nix >= 2.18 is on PATH.
#
# Debian bookworm ships nix 2.8 (no `nix derivation add`). Debian trixie's nix-bin
# 2.26.3 runs here when unpacked into a private prefix with its own libraries, so
# nothing of the base system is upgraded: apt-get only downloads (into a private
# state dir), dpkg -x unpacks, patchelf points the binary at the private loader.
#
# Idempotent. Never touches an existing Nix installation or its configuration.
set -euo pipefail

min_minor=18
prefix=${NIX_PREFIX_DIR:-/opt/cargo-nix-unit/nix}
bindir=${NIX_BIN_LINK_DIR:-/usr/local/bin}

nix_ok() {
  local v
  v=$("$1" --version 2>/dev/null | sed -n 's/.* \([0-9]\+\)\.\([0-9]\+\)\..*/\1 \2/p') || return 1
  [ -n "$v" ] || return 1
  set -- $v
  [ "$1" -gt 2 ] || { [ "$1" -eq 2 ] && [ "$2" -ge "$min_minor" ]; }
}

if command -v nix >/dev/null 2>&1 && nix_ok nix; then
  echo "install-nix: $(nix --version) already on PATH"
  exit 0
fi
if command -v nix >/dev/null 2>&1; then
  echo "install-nix: $(nix --version) is older than 2.$min_minor; installing a private 2.26 next to it" >&2
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-nix: must run as root (it writes $prefix, /nix and $bindir)" >&2
  exit 1
fi

if ! [ -x "$prefix/usr/bin/nix" ] || ! nix_ok "$prefix/usr/bin/nix"; then
  # The archive URI of this machine's own apt sources (deb822 or one-line format).
  uri=$( { cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {print $2}'
          cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
            sed 's/\[[^]]*\]//' | awk '/^deb / {print $2}'
        } | grep -v security | head -n1 || true)
  [ -n "$uri" ] || { echo "install-nix: no Debian archive URI in /etc/apt/sources*" >&2; exit 1; }

  command -v patchelf >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends patchelf
  }

  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/parts" "$work/prefs"
  : >"$work/status"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri trixie main" >"$work/sources.list"
  apt_private=(-o "Dir::State::status=$work/status" -o "Dir::State::Lists=$work/lists"
    -o "Dir::Cache=$work/cache" -o "Dir::Etc::SourceList=$work/sources.list"
    -o "Dir::Etc::SourceParts=$work/parts" -o "Dir::Etc::PreferencesParts=$work/prefs"
    -o "APT::Install-Recommends=false" -o "Debug::NoLocking=true" -o "APT::Sandbox::User=root")
  echo "install-nix: downloading Debian trixie's nix-bin into a private apt state"
  apt-get "${apt_private[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive apt-get "${apt_private[@]}" install -y -qq --download-only nix-bin >/dev/null

  rm -rf "$prefix.tmp"
  mkdir -p "$prefix.tmp"
  for deb in "$work"/cache/archives/*.deb; do dpkg -x "$deb" "$prefix.tmp"; done
  lib="$prefix/usr/lib/x86_64-linux-gnu"
  patchelf --set-interpreter "$lib/ld-linux-x86-64.so.2" --force-rpath --set-rpath "$lib" \
    "$prefix.tmp/usr/bin/nix"
  rm -rf "$prefix"
  mv "$prefix.tmp" "$prefix"
fi

# nix-store, nix-daemon, ... are symlinks to nix inside the prefix; expose them all.
mkdir -p "$bindir"
for tool in "$prefix"/usr/bin/nix*; do
  ln -sfn "$tool" "$bindir/$(basename "$tool")"
done

if [ ! -e /etc/nix/nix.conf ]; then
  mkdir -p /etc/nix
  cat >/etc/nix/nix.conf <<CONF
# Written by cargo-nix-unit's scripts/install-nix.sh: a root single-user store.
build-users-group =
experimental-features = nix-command ca-derivations
substituters =
sandbox = true
# Debian's build defaults to /bin/sh=/usr/bin/bash-static, absent without bash-static;
# cargo-nix-unit's builder needs no shell.
sandbox-paths =
CONF
fi
mkdir -p /nix/store /nix/var/nix
"$bindir/nix" --version
