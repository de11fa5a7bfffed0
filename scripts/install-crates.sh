#!/usr/bin/env bash
# Installs the Debian packages of the Rust crates the example workspace, the
# fixtures and the crate corpus (testdata/corpus) use. Cargo reads them from
# /usr/share/cargo/registry through a `directory` source.
set -euo pipefail
APT_INSTALL_WHO=install-crates exec bash "$(dirname "$0")/lib/apt-install.sh" \
  librust-serde-dev \
  librust-serde-derive-dev \
  librust-serde-json-dev \
  librust-libc-dev \
  librust-cc-dev \
  librust-anyhow-dev \
  librust-thiserror-dev \
  librust-memchr-dev \
  librust-regex-dev \
  librust-aho-corasick-dev \
  librust-log-dev \
  librust-clap-dev \
  librust-clap-derive-dev \
  librust-tokio-dev \
  librust-tokio-macros-dev \
  librust-rand-dev \
  librust-bytes-dev \
  librust-itertools-dev \
  librust-once-cell-dev \
  librust-bitflags-dev \
  librust-syn-dev \
  librust-quote-dev \
  librust-proc-macro2-dev \
  librust-lazy-static-dev \
  librust-smallvec-dev \
  librust-either-dev \
  librust-hex-dev \
  librust-base64-dev \
  librust-semver-dev \
  librust-byteorder-dev \
  librust-crc32fast-dev \
  librust-sha2-dev \
  librust-libz-sys-dev \
  zlib1g-dev \
  pkg-config
