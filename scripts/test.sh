#!/usr/bin/env bash
# Runs every test, the integration tests against real Nix, Cargo and rustc included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
go vet ./...
go test -timeout 25m -count=1 "$@" ./...
