#!/usr/bin/env bash
# Runs each fuzz target for a while (FUZZTIME, default 20s). Not part of CI: there,
# `go test` runs every target's seed corpus (testdata/fuzz/<FuzzName>/) as a test.
# A failing input is saved under testdata/fuzz/ by go test: commit it as a seed.
set -euo pipefail
cd "$(dirname "$0")/.."
time=${FUZZTIME:-20s}
for target in \
	./internal/aterm:FuzzParse \
	./internal/aterm:FuzzWriteParse \
	./internal/unitgraph:FuzzParse \
	./internal/nixbuild:FuzzLog \
	./internal/buildscript:FuzzParse; do
	pkg=${target%%:*} name=${target##*:}
	echo "== $pkg $name ($time)"
	go test -run '^$' -fuzz "^$name\$" -fuzztime "$time" "$pkg"
done
