#!/usr/bin/env bash
# Runs every test, the integration tests against real Nix, Cargo and rustc included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
go vet ./...
# The e2e package takes 11 minutes on 2 quiet cores and 16 under load; 40m
# leaves room for a slower machine and still stops a hang well inside CI's
# 90 minutes.
go test -timeout 40m -count=1 "$@" ./...
