#!/usr/bin/env bash
# Quick start: builds examples/workspace through Nix, one derivation per unit, and runs its binary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cd examples/workspace
../../bin/cargo-nix-unit build "$@"
./result/bin/app
