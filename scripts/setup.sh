#!/usr/bin/env bash
# Installs what cargo-nix-unit's demo and tests need on a fresh Debian machine
# (Nix when missing, Debian's Rust crates, graphviz) and builds the two binaries into bin/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-nix.sh
bash scripts/install-crates.sh
bash scripts/install-graphviz.sh
mkdir -p bin
# The builder runs inside every derivation: built static and reproducibly, so its
# bytes (and every derivation) change only when its own code does.
CGO_ENABLED=0 go build -trimpath -ldflags=-buildid= -o bin/cargo-nix-unit-builder ./cmd/cargo-nix-unit-builder
go build -o bin/cargo-nix-unit .
