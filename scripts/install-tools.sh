#!/usr/bin/env bash
# Installs the Debian tools the tests drive: tmux (the live progress display on a
# terminal), git (source selection honours .gitignore) and graphviz (`graph --dot`
# is rendered with dot, and docs/graph.svg made with it) and patchelf (the
# dynamic-derivations test unpacks Debian unstable's Nix into a private prefix,
# as scripts/install-nix.sh does, which installs it only when it installs Nix).
set -euo pipefail
APT_INSTALL_WHO=install-tools exec bash "$(dirname "$0")/lib/apt-install.sh" \
  tmux \
  git \
  graphviz \
  patchelf
