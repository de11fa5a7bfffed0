package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
)

// nixFlakes runs nix with flakes enabled.
func nixFlakes(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return run(t, dir, nil, "nix", append([]string{"--extra-experimental-features", "nix-command flakes ca-derivations"}, args...)...)
}

func mustNixFlakes(t *testing.T, dir string, args ...string) string {
	t.Helper()
	r := nixFlakes(t, dir, args...)
	if r.code != 0 {
		t.Fatalf("nix %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

// vendorCrates makes ws's registry crates a directory source inside it
// (vendor/, as `cargo vendor` would), copied from Debian's: a flake reads no
// path outside its src.
func vendorCrates(t *testing.T, ws string) {
	t.Helper()
	if r := run(t, ws, nil, "cargo", "generate-lockfile", "--offline"); r.code != 0 {
		t.Fatalf("cargo generate-lockfile: %s", r.stderr)
	}
	lock, err := os.ReadFile(filepath.Join(ws, "Cargo.lock"))
	if err != nil {
		t.Fatal(err)
	}
	var name string
	for _, l := range strings.Split(string(lock), "\n") {
		if v, ok := strings.CutPrefix(l, "name = "); ok {
			name = strings.Trim(v, `"`)
		}
		if v, ok := strings.CutPrefix(l, "version = "); ok && name != "" {
			dir := name + "-" + strings.Trim(v, `"`)
			if _, err := os.Stat(filepath.Join("/usr/share/cargo/registry", dir)); err == nil {
				mustRun(t, ws, nil, "mkdir", "-p", "vendor")
				mustRun(t, ws, nil, "cp", "-rL", filepath.Join("/usr/share/cargo/registry", dir), filepath.Join(ws, "vendor", dir))
			}
			name = ""
		}
	}
	config := "[source.crates-io]\nreplace-with = \"vendored\"\n\n[source.vendored]\ndirectory = \"vendor\"\n\n[net]\noffline = true\n"
	if err := os.WriteFile(filepath.Join(ws, ".cargo", "config.toml"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
}

// consumer is a flake written into a workspace that builds it with
// cargo-nix-unit's lib.buildWorkspace, taking this checkout as its only
// input (its nixpkgs input pointed at a stub: nothing is fetched).
type consumer struct {
	dir       string
	builder   string // the builder's store path
	cli       string // the CLI's store path, its builder beside it
	toolchain string // the sysroot the CLI's jobs name
	sandbox   string // extra-sandbox-paths for the host's linker (and a host toolchain)
}

func nixSystemOf() string {
	arch := map[string]string{"amd64": "x86_64", "arm64": "aarch64"}[runtime.GOARCH]
	return arch + "-" + runtime.GOOS
}

// newConsumer writes ws/flake.nix with ca and ia outputs (contentAddressed
// on and off) and ifd (CA, the plan written by a derivation from the crates
// of the registries given: Cargo.lock's source → dl template); the
// toolchain is the one the CLI's derivations name.
func newConsumer(t *testing.T, ws string, registries map[string]string) *consumer {
	t.Helper()
	c := &consumer{dir: ws}
	c.builder = strings.TrimSpace(mustNixFlakes(t, ws, "store", "add-path", filepath.Join(bins, "cargo-nix-unit-builder")))
	c.cli = strings.TrimSpace(mustNixFlakes(t, ws, "store", "add-path", "--name", "cargo-nix-unit", bins)) + "/cargo-nix-unit"
	c.toolchain = plannedToolchain(t, ws)
	sandbox := []string{"/usr", "/lib", "/lib64", "/bin", "/etc/alternatives"}
	if !strings.HasPrefix(c.toolchain, "/nix/store/") {
		sandbox = append([]string{c.toolchain}, sandbox...)
	}
	c.sandbox = strings.Join(sandbox, " ")
	stub := filepath.Join(t.TempDir(), "nixpkgs-stub")
	if err := os.MkdirAll(stub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(stub, "flake.nix"), []byte("{ outputs = _: { }; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var regs []string
	for source, dl := range registries {
		regs = append(regs, fmt.Sprintf("%q = %q;", source, dl))
	}
	sort.Strings(regs)
	flake := fmt.Sprintf(`{
  inputs.cargo-nix-unit.url = "path:%s";
  inputs.cargo-nix-unit.inputs.nixpkgs.url = "path:%s";
  outputs = { self, cargo-nix-unit }:
    let
      args = {
        src = self;
        system = %q;
        builder = %q;
        rustToolchain = %q;
      };
      ws = contentAddressed: cargo-nix-unit.lib.buildWorkspace (args // { inherit contentAddressed; });
      ifd = cargo-nix-unit.lib.buildWorkspace (args // {
        plan = null;
        cli = %q;
        registries = { %s };
        planPath = [ "/usr/bin" ];
        workspaceName = %q;
      });
    in {
      packages.%[3]s = { ca = (ws true).default; ia = (ws false).default; ifd = ifd.default; ifdPlan = ifd.planFile; };
      legacyPackages.%[3]s = { ca = ws true; ia = ws false; inherit ifd; };
    };
}
`, repoRoot(), stub, nixSystemOf(), c.builder, c.toolchain, c.cli, strings.Join(regs, " "), filepath.Base(ws))
	if err := os.WriteFile(filepath.Join(ws, "flake.nix"), []byte(flake), 0o644); err != nil {
		t.Fatal(err)
	}
	return c
}

// plannedToolchain is the sysroot the CLI's jobs run rustc from (a host
// directory, or its copy in the store), read from a unit's derivation.
func plannedToolchain(t *testing.T, ws string) string {
	t.Helper()
	mustCNU(t, ws, "build", "--dry-run") // registers the derivations
	var g struct {
		Units []struct{ DrvPath string }
	}
	if err := json.Unmarshal([]byte(mustCNU(t, ws, "graph", "--json").stdout), &g); err != nil {
		t.Fatal(err)
	}
	for _, u := range g.Units {
		var show map[string]struct{ Env map[string]string }
		if err := json.Unmarshal([]byte(mustNixFlakes(t, ws, "derivation", "show", u.DrvPath)), &show); err != nil {
			t.Fatal(err)
		}
		for _, d := range show {
			var j struct{ Action, Program string }
			if json.Unmarshal([]byte(d.Env["cargoNixUnitJob"]), &j) == nil && j.Action == "rustc" {
				return filepath.Dir(filepath.Dir(j.Program))
			}
		}
	}
	t.Fatal("no rustc unit in the plan")
	return ""
}

// drvPaths evaluates every unit's drvPath (and the result's) of an output.
func (c *consumer) drvPaths(t *testing.T, mode string) map[string]string {
	t.Helper()
	out := mustNixFlakes(t, c.dir, "eval", "--json", ".#legacyPackages."+nixSystemOf()+"."+mode,
		"--apply", `ws: (builtins.mapAttrs (k: u: u.drvPath) ws.units) // { "(result)" = ws.default.drvPath; }`)
	var m map[string]string
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// cliDrvPaths is what `graph --json` says the CLI registers.
func cliDrvPaths(t *testing.T, ws, ca string) map[string]string {
	t.Helper()
	var g struct {
		Result struct{ DrvPath string }
		Units  []struct{ Key, DrvPath string }
	}
	if err := json.Unmarshal([]byte(mustCNU(t, ws, "graph", "--json", "--content-addressed="+ca).stdout), &g); err != nil {
		t.Fatal(err)
	}
	m := map[string]string{"(result)": g.Result.DrvPath}
	for _, u := range g.Units {
		m[u.Key] = u.DrvPath
	}
	return m
}

// sameDrvsAsCLI checks that the flake's output attr writes every derivation
// the CLI registers with --content-addressed=ca, and no other.
func (c *consumer) sameDrvsAsCLI(t *testing.T, ws, attr, ca string) {
	t.Helper()
	got, cli := c.drvPaths(t, attr), cliDrvPaths(t, ws, ca)
	if len(got) != len(cli) {
		t.Errorf("the flake has %d derivations, the CLI %d", len(got), len(cli))
	}
	for k, p := range cli {
		if got[k] != p {
			t.Errorf("%s: the flake writes %s, the CLI %s", k, got[k], p)
		}
	}
}

func (c *consumer) build(t *testing.T, attr string) string {
	t.Helper()
	link := filepath.Join(t.TempDir(), "result-"+attr)
	mustNixFlakes(t, c.dir, "build", ".#"+attr, "--option", "extra-sandbox-paths", c.sandbox,
		"--option", "allow-import-from-derivation", "true", "-o", link)
	return link
}

// checkIFD builds the consumer's ifd output, whose plan a derivation writes
// (import-from-derivation): the plan is the file `cargo nix-unit plan`
// wrote (but for the toolchain's components), and the binary prints what
// cargo run prints.
func (c *consumer) checkIFD(t *testing.T, bin, want string) {
	t.Helper()
	plan := c.build(t, "ifdPlan")
	got, err := os.ReadFile(plan)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(filepath.Join(c.dir, "nix-unit.json"))
	if err != nil {
		t.Fatal(err)
	}
	// The toolchain's store copy leaves out rustup's list of components,
	// which only describes the toolchain: no derivation reads it.
	g, w := withoutComponents(t, got), withoutComponents(t, committed)
	if !bytes.Equal(g, w) {
		t.Errorf("the planning derivation wrote another plan than cargo nix-unit plan: %s", firstLineDiff(g, w))
	}
	link := c.build(t, "ifd")
	if out := mustRun(t, c.dir, nil, filepath.Join(link, "bin", bin)); out != want {
		t.Errorf("the ifd output's %s printed\n%s\ncargo run printed\n%s", bin, out, want)
	}
}

// withoutComponents is a plan file without toolchain.components, indented.
func withoutComponents(t *testing.T, plan []byte) []byte {
	t.Helper()
	var f map[string]any
	if err := json.Unmarshal(plan, &f); err != nil {
		t.Fatal(err)
	}
	if tc, ok := f["toolchain"].(map[string]any); ok {
		delete(tc, "components")
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// firstLineDiff names the first line where got and want differ.
func firstLineDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got  %.300s\n want %.300s", i+1, gl, wl)
		}
	}
	return "none"
}

// A consumer flake builds examples/workspace with lib.buildWorkspace: every
// unit's derivation is the one the CLI registers, CA and input-addressed; the
// binary prints what cargo run prints; after the flake's build the CLI builds
// nothing; a manifest edit makes evaluation fail until `plan` is run again,
// and `plan --check` says so.
func TestFlakeBuildWorkspace(t *testing.T) {
	requireTools(t)
	ws := copyWorkspace(t, "workspace")
	vendorCrates(t, ws)
	want := cargoRun(t, ws)
	mustCNU(t, ws, "plan")
	c := newConsumer(t, ws, nil)

	for _, mode := range []struct{ attr, ca string }{{"ca", "on"}, {"ia", "off"}} {
		t.Run(mode.attr, func(t *testing.T) {
			c.sameDrvsAsCLI(t, ws, mode.attr, mode.ca)
			link := c.build(t, mode.attr)
			if out := mustRun(t, ws, nil, filepath.Join(link, "bin", "app")); out != want {
				t.Errorf("the flake's app printed\n%s\ncargo run printed\n%s", out, want)
			}
			r := mustCNU(t, ws, "build", "--no-link", "--content-addressed="+mode.ca)
			if !strings.Contains(r.stderr, " 0 built") {
				t.Errorf("after the flake's build the CLI built units:\n%s", r.stderr)
			}
		})
	}

	// Without the plan file, by import-from-derivation: the same plan, so the
	// same units, already built.
	t.Run("ifd", func(t *testing.T) { c.checkIFD(t, "app", want) })

	t.Run("stale", func(t *testing.T) {
		mustCNU(t, ws, "plan", "--check")
		manifest := filepath.Join(ws, "greeter", "Cargo.toml")
		f, err := os.OpenFile(manifest, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(f, "# edited")
		f.Close()
		r := nixFlakes(t, ws, "eval", ".#packages."+nixSystemOf()+".ca.drvPath")
		if r.code == 0 || !strings.Contains(r.stderr, "greeter/Cargo.toml changed since nix-unit.json was written: run `cargo nix-unit plan`") {
			t.Errorf("a stale plan evaluated (exit %d):\n%s", r.code, r.stderr)
		}
		check := cnu(t, ws, "plan", "--check")
		if check.code == 0 || strings.Count(strings.TrimSpace(check.stderr), "\n") != 0 || !strings.Contains(check.stderr, "greeter/Cargo.toml changed") {
			t.Errorf("plan --check on a stale plan: exit %d\n%s", check.code, check.stderr)
		}
		mustCNU(t, ws, "plan")
		mustCNU(t, ws, "plan", "--check")
		mustNixFlakes(t, ws, "eval", ".#packages."+nixSystemOf()+".ca.drvPath")
	})
}
