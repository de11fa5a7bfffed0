package e2e

import (
	"path/filepath"
	"strings"
	"testing"
)

// With the sandbox forced on, the only host paths a build sees are the base
// system's (and a host toolchain's; cargo-nix-unit passes them as
// extra-sandbox-paths): an input the derivations forgot to declare fails the
// build instead of being read from the workspace.
func TestSandboxedBuild(t *testing.T) {
	requireTools(t)
	ws := copyWorkspace(t, "workspace")
	link := filepath.Join(t.TempDir(), "result")
	// scripts/install-nix.sh turns the sandbox on for every build of the suite;
	// this test forces it whatever nix.conf says, and proves it below.
	env := []string{"NIX_CONFIG=sandbox = true\nsandbox-fallback = false"}
	r := cnuEnv(t, ws, env, "build", "--content-addressed=on", "-o", link)
	if r.code != 0 {
		t.Fatalf("sandboxed build failed: exit %d\n%s", r.code, r.stderr)
	}
	got := run(t, ws, nil, filepath.Join(link, "bin", "app"))
	if want := cargoRun(t, ws); got.stdout != want {
		t.Errorf("sandboxed app prints\n%s\nwant\n%s", got.stdout, want)
	}

	// The workspace is not visible inside the sandbox: a build script reading a
	// file outside its package fails.
	edit(t, filepath.Join(ws, "app/build.rs"), "fn main() {",
		`fn main() { std::fs::read_to_string("`+ws+`/Cargo.toml").expect("reading the workspace manifest from the host");`)
	r = cnuEnv(t, ws, env, "build", "--content-addressed=on", "--no-link")
	if r.code == 0 || !strings.Contains(r.stderr, "reading the workspace manifest from the host") {
		t.Errorf("a build script reading the host workspace should fail in the sandbox; exit %d\n%s", r.code, r.stderr)
	}
}
