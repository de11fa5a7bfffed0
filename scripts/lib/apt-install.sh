#!/usr/bin/env bash
# apt-install.sh PACKAGE...: installs the Debian packages that are missing, from
# this machine's configured suite only, and never when that would upgrade what the
# base system already has.
set -euo pipefail
who=${APT_INSTALL_WHO:-apt-install}

missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "$who: must run as root to install: ${missing[*]}" >&2
  exit 1
fi
apt-get update -qq
upgrades=$(apt-get -s install --no-install-recommends "${missing[@]}" | awk '$1 == "Inst" && $3 ~ /^\[/ {print $2}')
if [ -n "$upgrades" ]; then
  echo "$who: installing ${missing[*]} would upgrade: $upgrades; refusing" >&2
  exit 1
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
