#!/usr/bin/env bash
# Installs what cargo-nix-unit's demo and tests need on a fresh Debian machine
# (Nix when missing, Debian's Rust crates) and builds the two binaries into bin/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-nix.sh
bash scripts/install-crates.sh
bash scripts/install-tools.sh
mkdir -p bin
# The builder runs inside every derivation: built static and reproducibly, so its
# bytes (and every derivation) change only when its own code does: no paths, no
# build id, no commit stamp. Same flags as the flake and the documented go install.
CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags=-buildid= -o bin/cargo-nix-unit-builder ./cmd/cargo-nix-unit-builder
version=$(git describe --tags --always --dirty 2>/dev/null || echo dev)
go build -ldflags="-X main.version=$version" -o bin/cargo-nix-unit .
