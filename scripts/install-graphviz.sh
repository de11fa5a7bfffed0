#!/usr/bin/env bash
# Installs Debian's graphviz (`dot`) when missing: the e2e test of `graph --dot` renders
# its output, and docs/graph.svg is made with it. Never when that would upgrade base libraries.
set -euo pipefail
command -v dot >/dev/null && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "install-graphviz: must run as root to install graphviz" >&2
  exit 1
fi
apt-get update -qq
upgrades=$(apt-get -s install --no-install-recommends graphviz | awk '$1 == "Inst" && $3 ~ /^\[/ {print $2}')
if [ -n "$upgrades" ]; then
  echo "install-graphviz: installing graphviz would upgrade: $upgrades; refusing" >&2
  exit 1
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends graphviz >/dev/null
