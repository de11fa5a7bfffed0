#!/usr/bin/env bash
# Installs the Debian tools the tests drive: tmux (the live progress display on a
# terminal) and git (source selection honours .gitignore).
set -euo pipefail
APT_INSTALL_WHO=install-tools exec bash "$(dirname "$0")/lib/apt-install.sh" \
  tmux \
  git
