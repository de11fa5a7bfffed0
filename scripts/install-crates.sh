#!/usr/bin/env bash
# Installs the Debian packages of the Rust crates the example workspace and the tests
# use. Cargo reads them from /usr/share/cargo/registry through a `directory` source.
set -euo pipefail
APT_INSTALL_WHO=install-crates exec bash "$(dirname "$0")/lib/apt-install.sh" \
  librust-serde-dev \
  librust-serde-derive-dev \
  librust-serde-json-dev \
  librust-libc-dev \
  librust-cc-dev
