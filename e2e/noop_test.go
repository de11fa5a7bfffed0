package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An unchanged workspace builds without asking Cargo or Nix (-v then says
// "Fresh" for every unit, as Cargo does); any change goes the full way.
func TestNoopBuild(t *testing.T) {
	requireTools(t)
	ws := copyWorkspace(t, "workspace")
	build := func(env ...string) result {
		t.Helper()
		r := cnuEnv(t, ws, env, "build", "-v", "--color=never")
		if r.code != 0 {
			t.Fatalf("build failed:\n%s", r.stderr)
		}
		return r
	}
	const fresh = "       Fresh greeter v0.2.1 (lib)"
	if r := build(); strings.Contains(r.stderr, fresh) {
		t.Fatalf("first build claims to be a no-op:\n%s", r.stderr)
	}
	// Cargo writes Cargo.lock during a fresh workspace's first query, after the
	// build started: that build records nothing (an input changed while it ran).
	if _, err := os.Stat(filepath.Join(ws, "Cargo.lock")); err == nil {
		build()
	}
	r := build()
	if !strings.Contains(r.stderr, fresh) || !strings.Contains(r.stderr, "33 units: 0 built, 33 cached") {
		t.Errorf("unchanged workspace did not take the no-op path:\n%s", r.stderr)
	}
	out, err := os.Readlink(filepath.Join(ws, "result"))
	if err != nil || !strings.Contains(r.stderr, "Result result -> "+out) {
		t.Errorf("no-op build reports another result than ./result (%s, %v):\n%s", out, err, r.stderr)
	}

	for _, change := range []struct {
		name  string
		apply func()
		env   []string
	}{
		{name: "a new file in a package", apply: func() {
			os.WriteFile(filepath.Join(ws, "greeter/src/notes.txt"), []byte("new\n"), 0o644)
		}},
		{name: "an edited manifest", apply: func() {
			edit(t, filepath.Join(ws, "app/Cargo.toml"), `version = "1.0.0"`, `version = "1.0.0" # edited`)
		}},
		{name: "RUSTFLAGS", env: []string{"RUSTFLAGS=--cfg nix_unit_noop_test"}},
		{name: "a missing result link", apply: func() { os.Remove(filepath.Join(ws, "result")) }},
	} {
		if change.apply != nil {
			change.apply()
		}
		if r := build(change.env...); strings.Contains(r.stderr, fresh) {
			t.Errorf("after %s, the build took the no-op path:\n%s", change.name, r.stderr)
		}
	}
}
