package gather

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testtool"
)

var update = flag.Bool("update", false, "record the inputs again (internal/plan/testdata)")

// recordings are the workspaces whose gathered inputs internal/plan's golden
// tests plan: the example in debug, and in release for a --target (the
// proc-macro greeter-macros is a root and a host dependency: two units), and
// fixtures with several targets, Cargo configuration and links overrides;
// cargo check of all targets, cargo clippy and cargo doc.
var recordings = []struct {
	name, dir string
	flags     []string
	command   string          // the unit graph's cargo command; "" is build
	clippy    []string        // clippy's arguments, for a clippy recording
	test      *plan.TestInput // the runs of `test` (command test)
}{
	{"workspace", "examples/workspace", nil, "", nil, nil},
	{"workspace-release", "examples/workspace", []string{"--release"}, "", nil, nil},
	{"workspace-target", "examples/workspace", []string{"--target", "x86_64-unknown-linux-gnu"}, "", nil, nil},
	{"targets-all", "testdata/workspaces/targets", []string{"--all-targets"}, "", nil, nil},
	{"config", "testdata/workspaces/config", nil, "", nil, nil},
	{"links", "testdata/workspaces/links", nil, "", nil, nil},
	{"check-all-targets", "testdata/workspaces/diagnostics", []string{"--all-targets"}, "check", nil, nil},
	{"clippy", "examples/workspace", nil, "check", []string{"-D", "warnings"}, nil},
	{"doc", "examples/workspace", nil, "doc", nil, nil},
	{"workspace-test", "examples/workspace", nil, "test", nil, &plan.TestInput{Args: []string{"--test-threads=1"}}},
	{"tested", "testdata/workspaces/tested", []string{"--features", "fail"}, "test", nil, &plan.TestInput{Quiet: true}},
}

// TestRecorded gathers each recorded workspace with the real Cargo and rustc
// and compares the input with the recording plan's golden tests use; -update
// records it again. Paths are normalised: the workspace copy is /ws, the
// toolchain's sysroot /toolchain, and rustc's version is left out.
func TestRecorded(t *testing.T) {
	testtool.Require(t, "cargo", "rustc", "go")
	builder := filepath.Join(t.TempDir(), BuilderName)
	build := exec.Command("go", "build", "-o", builder, "./cmd/cargo-nix-unit-builder")
	build.Dir = repoRoot()
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the builder: %v\n%s", err, out)
	}
	for _, r := range recordings {
		t.Run(r.name, func(t *testing.T) {
			ws := filepath.Join(t.TempDir(), "ws")
			if out, err := exec.Command("cp", "-r", filepath.Join(repoRoot(), r.dir), ws).CombinedOutput(); err != nil {
				t.Fatalf("copying %s: %v\n%s", r.dir, err, out)
			}
			os.RemoveAll(filepath.Join(ws, "target"))
			os.Remove(filepath.Join(ws, "Cargo.lock"))
			cfg := &Config{Query: Query{Dir: ws, Command: r.command, BuildArgs: r.flags}, BuilderPath: builder, NoCache: true, Describe: true,
				Clippy: r.clippy != nil, ClippyArgs: r.clippy, Test: r.test}
			res, err := Gather(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			res.Input.Toolchain.Version = "rustc (recorded)\n"
			res.Input.Toolchain.Components = nil
			graph, md, rest, err := plan.EncodeInput(res.Input)
			if err != nil {
				t.Fatal(err)
			}
			norm := strings.NewReplacer(ws, "/ws", res.Toolchain.Sysroot, "/toolchain")
			dir := filepath.Join(repoRoot(), "internal", "plan", "testdata", r.name)
			for name, b := range map[string][]byte{"unit-graph.json": graph, "metadata.json": md, "input.json": rest} {
				got := []byte(norm.Replace(string(b)) + "\n")
				path := filepath.Join(dir, name)
				if *update {
					if err := os.MkdirAll(dir, 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s is not what gather finds now (go test ./internal/gather -update records it again; review the diff of the plan goldens too)", path)
				}
			}
		})
	}
}

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}
