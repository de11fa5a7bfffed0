package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testtool"
)

// unstableNix unpacks Debian unstable's Nix (dynamic derivations need 2.30
// or newer; trixie's is 2.26) into a private prefix kept in the user's cache
// across runs, and returns its nix.
func unstableNix(t *testing.T) string {
	t.Helper()
	testtool.Require(t, "apt-get", "dpkg", "patchelf")
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	prefix := filepath.Join(cache, "cargo-nix-unit", "nix-unstable")
	mustRun(t, repoRoot(), nil, "bash", filepath.Join("e2e", "testdata", "install-nix-unstable.sh"), prefix)
	return filepath.Join(prefix, "usr", "bin", "nix")
}

// privateNix is a Nix with a store and a configuration of its own: a newer
// Nix never opens the machine's store (it could migrate its database).
type privateNix struct {
	nix, root string
	env       []string
}

func newPrivateNix(t *testing.T, nix string, sandbox []string) *privateNix {
	t.Helper()
	dir := t.TempDir()
	conf := filepath.Join(dir, "conf")
	if err := os.MkdirAll(conf, 0o755); err != nil {
		t.Fatal(err)
	}
	// The prefix in the sandbox: nix-instantiate runs inside the build.
	prefix := filepath.Dir(filepath.Dir(filepath.Dir(nix)))
	text := fmt.Sprintf(`build-users-group =
experimental-features = nix-command ca-derivations dynamic-derivations recursive-nix
system-features = recursive-nix
substituters =
sandbox = true
sandbox-paths = %s %s
`, strings.Join(sandbox, " "), prefix)
	if err := os.WriteFile(filepath.Join(conf, "nix.conf"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return &privateNix{nix: nix, root: filepath.Join(dir, "root"), env: []string{
		"NIX_CONF_DIR=" + conf, "XDG_CACHE_HOME=" + filepath.Join(dir, "cache"),
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "XDG_STATE_HOME=" + filepath.Join(dir, "state"), "NIX_REMOTE="}}
}

func (p *privateNix) store() string { return "local?root=" + p.root }

func (p *privateNix) must(t *testing.T, dir string, args ...string) string {
	t.Helper()
	r := run(t, dir, p.env, p.nix, append([]string{"--store", p.store()}, args...)...)
	if r.code != 0 {
		t.Fatalf("nix %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

// Without a plan file and without import-from-derivation, by dynamic
// derivations (Nix 2.34 from Debian unstable, a private store): the
// derivation `dynamic` names writes the plan, instantiates the flake's own
// buildWorkspace with it inside the build (recursive Nix) and outputs the
// result's .drv, which Nix then builds. The units it instantiates are the
// CLI's derivations, and the binary prints what cargo run prints.
func TestFlakeDynamicDerivations(t *testing.T) {
	requireTools(t)
	nix := unstableNix(t)
	ws := filepath.Join(t.TempDir(), "dynapp")
	for path, text := range map[string]string{
		"Cargo.toml":       "[package]\nname = \"dynapp\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\ngreet = { path = \"greet\" }\n",
		"src/main.rs":      "fn main() {\n    println!(\"{}\", greet::greet(\"dynamic derivations\"));\n}\n",
		"greet/Cargo.toml": "[package]\nname = \"greet\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
		"greet/src/lib.rs": "pub fn greet(who: &str) -> String {\n    format!(\"Hello, {who}!\")\n}\n",
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(ws, path)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(ws, path), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := cargoRun(t, ws)
	toolchain := plannedToolchain(t, ws) // the CLI registers: the toolchain's store copy is in the store
	cli := cliDrvPaths(t, ws, "on")

	sandbox := []string{"/usr", "/lib", "/lib64", "/bin", "/etc/alternatives"}
	p := newPrivateNix(t, nix, sandbox)
	// What the derivations name goes into the private store: the machine's
	// Nix copies and adds them (the newer one only opens its own store).
	if strings.HasPrefix(toolchain, "/nix/store/") {
		mustNixFlakes(t, ws, "copy", "--no-check-sigs", "--to", p.store(), toolchain)
	} else {
		sandbox = append(sandbox, toolchain)
		p = newPrivateNix(t, nix, sandbox)
	}
	builder := strings.TrimSpace(mustNixFlakes(t, ws, "--store", p.store(), "store", "add-path", filepath.Join(bins, "cargo-nix-unit-builder")))
	cliPath := strings.TrimSpace(mustNixFlakes(t, ws, "--store", p.store(), "store", "add-path", "--name", "cargo-nix-unit", bins)) + "/cargo-nix-unit"
	expr := filepath.Join(t.TempDir(), "dynamic.nix")
	if err := os.WriteFile(expr, []byte(fmt.Sprintf(`import %s {
  src = %s;
  plan = null;
  cli = %q;
  builder = %q;
  system = %q;
  rustToolchain = %q;
  planPath = [ "/usr/bin" ];
  workspaceName = "dynapp";
  nixInstantiate = %q;
}
`, filepath.Join(repoRoot(), "nix", "build-workspace.nix"), ws, cliPath, builder, nixSystemOf(), toolchain,
		filepath.Join(filepath.Dir(nix), "nix-instantiate"))), 0o644); err != nil {
		t.Fatal(err)
	}

	out := strings.TrimSpace(p.must(t, ws, "build", "--no-link", "--print-out-paths", "-f", expr, "dynamic"))
	if got := mustRun(t, ws, nil, inRoot(t, p.root, filepath.Join(out, "bin", "dynapp"))); got != want {
		t.Errorf("the dynamic result's dynapp printed %q, cargo run %q", got, want)
	}

	// The result's .drv, the output of the derivation writing it, names the
	// units' derivations: the CLI's.
	resultDrv := strings.TrimSpace(p.must(t, ws, "build", "--no-link", "--print-out-paths", "-f", expr, "instantiated"))
	// Nix 2.33 and later wrap them: {"derivations": {basename: …}, "version": 4}.
	var show struct{ Derivations map[string]json.RawMessage }
	if err := json.Unmarshal([]byte(p.must(t, ws, "derivation", "show", "--recursive", resultDrv)), &show); err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for d := range show.Derivations {
		have[filepath.Base(d)] = true
	}
	for key, drv := range cli {
		if key != "(result)" && !have[filepath.Base(drv)] {
			t.Errorf("%s: the CLI's %s is not among the derivations the dynamic build instantiated:\n%s", key, drv, strings.Join(keys(have), "\n"))
		}
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
