package e2e

import (
	"bytes"
	"debug/elf"
	"encoding/json"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testtool"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// requireTool skips when tool is missing, except in CI, where it fails.
func requireTool(t *testing.T, tool string) {
	t.Helper()
	testtool.Require(t, tool)
}

func mustRun(t *testing.T, dir string, env []string, prog string, args ...string) string {
	t.Helper()
	r := run(t, dir, env, prog, args...)
	if r.code != 0 {
		t.Fatalf("%s %s: exit %d\n%s%s", prog, strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

// flake.nix is valid Nix, and its outputs, evaluated against a stub nixpkgs,
// have the packages, apps, dev shells and overlay for all four systems.
func TestFlakeOutputs(t *testing.T) {
	requireTool(t, "nix-instantiate")
	root := repoRoot()
	mustRun(t, root, nil, "nix-instantiate", "--parse", "flake.nix")
	got := mustRun(t, root, nil, "nix-instantiate", "--eval", "--strict", "--json", "e2e/testdata/flake-outputs.nix")
	var pretty bytes.Buffer
	mustJSONIndent(t, &pretty, got)
	golden := filepath.Join(root, "e2e", "testdata", "flake-outputs.json")
	if *update {
		if err := os.WriteFile(golden, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if pretty.String() != string(want) {
		t.Errorf("flake outputs changed (go test ./e2e -run TestFlakeOutputs -update, then review the diff):\n%s", pretty.String())
	}
}

var vendorHashRe = regexp.MustCompile(`vendorHash = "(sha256-[A-Za-z0-9+/=]+)";`)

// flake.nix's vendorHash is the NAR hash of what `go mod vendor` writes, which is
// what buildGoModule's fixed-output goModules derivation holds: a go.mod change
// that forgets it fails here, with the right value, and not in users' builds.
func TestFlakeVendorHash(t *testing.T) {
	requireTool(t, "nix")
	root := repoRoot()
	src, err := os.ReadFile(filepath.Join(root, "flake.nix"))
	if err != nil {
		t.Fatal(err)
	}
	m := vendorHashRe.FindSubmatch(src)
	if m == nil {
		t.Fatalf("flake.nix has no vendorHash = \"sha256-...\";")
	}
	vendor := filepath.Join(t.TempDir(), "vendor")
	mustRun(t, root, nil, "go", "mod", "vendor", "-o", vendor)
	want := strings.TrimSpace(mustRun(t, root, nil, "nix", "--extra-experimental-features", "nix-command", "hash", "path", vendor))
	if string(m[1]) != want {
		t.Errorf("flake.nix: vendorHash = %q; go.mod's dependencies need vendorHash = %q", m[1], want)
	}
}

// `go install ./...` (what `go install <module>/...@version` does from the
// module cache) gives a working tool: both programs in GOBIN, a static builder,
// --version, and the CLI finding the builder next to itself.
func TestGoInstall(t *testing.T) {
	requireTools(t)
	root := repoRoot()
	gobin := t.TempDir()
	mustRun(t, root, []string{"GOBIN=" + gobin}, "go", "install", "./...")
	cli := filepath.Join(gobin, "cargo-nix-unit")
	builder := filepath.Join(gobin, "cargo-nix-unit-builder")
	if dynamic(t, builder) {
		t.Errorf("plain go install gave a dynamically linked builder: it cannot run in the sandbox")
	}

	out := mustRun(t, root, nil, cli, "nix-unit", "--version")
	if !regexp.MustCompile(`^cargo-nix-unit \S+ \(nix \d+\.\d+\.\d+, content-addressed: (on|off)\)\n$`).MatchString(out) {
		t.Errorf("--version printed %q", out)
	}

	ws := copyWorkspace(t, "workspace")
	drvs := mustRun(t, ws, nil, cli, "nix-unit", "build", "--dry-run")
	if !strings.Contains(drvs, ".drv\n") {
		t.Errorf("build --dry-run printed no derivations:\n%s", drvs)
	}
}

// The documented reproducible install gives byte for byte the builder that
// scripts/setup.sh builds (and the flake, which uses the same flags), so all of
// them share every unit in the Nix store and in caches.
func TestReproducibleInstall(t *testing.T) {
	root := repoRoot()
	gobin := t.TempDir()
	mustRun(t, root, []string{"GOBIN=" + gobin, "CGO_ENABLED=0"}, "go", "install", "-trimpath", "-buildvcs=false", "-ldflags=-buildid=", "./...")
	got, err := os.ReadFile(filepath.Join(gobin, "cargo-nix-unit-builder"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(bins, "cargo-nix-unit-builder"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("go install -trimpath gave another builder than go build -trimpath: every unit would be rebuilt")
	}
}

// dynamic reports whether the ELF at path asks for a dynamic loader.
func dynamic(t *testing.T, path string) bool {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return true
		}
	}
	return false
}

func mustJSONIndent(t *testing.T, dst *bytes.Buffer, src string) {
	t.Helper()
	if err := json.Indent(dst, []byte(src), "", "  "); err != nil {
		t.Fatalf("nix-instantiate printed no JSON: %v\n%s", err, src)
	}
	dst.WriteByte('\n')
}
