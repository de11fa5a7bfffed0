package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// Incremental compilation where Cargo uses it (examples/workspace in dev: its
// three path packages). One test, one workspace, builds shared between steps:
//   - several edits of the lib in a row: the binary follows each one, and the
//     lib and the binary compile with their persistent state;
//   - the state unusable: the same derivations (.drv paths), and outputs
//     byte for byte those compiled with state (their content-addressed store
//     paths are equal);
//   - state damaged on disk: a compile from scratch, the binary is right;
//   - CARGO_INCREMENTAL=0, as with Cargo: other derivations, the same output.
func TestIncrementalCompilation(t *testing.T) {
	requireTools(t)
	ws := copyWorkspace(t, "workspace")
	state := filepath.Join(ws, "target", "nix-unit", "incremental")
	builder := nonceBuilder(t) // new derivations: every unit compiles in this test
	env := []string{"CARGO_NIX_UNIT_BUILDER=" + builder}
	build := func(extraEnv []string, args ...string) (result, string) {
		t.Helper()
		r := cnuEnv(t, ws, append(append([]string{}, env...), extraEnv...),
			append([]string{"build", "--no-link", "--print-out-paths", "--content-addressed=on", "-L"}, args...)...)
		if r.code != 0 {
			t.Fatalf("build: exit %d\n%s", r.code, r.stderr)
		}
		out := strings.TrimSpace(r.stdout)
		return r, strings.SplitN(run(t, ws, nil, filepath.Join(out, "bin", "app")).stdout, "\n", 2)[0]
	}

	r, first := build(nil)
	if first != "Good day, Nix!" {
		t.Fatalf("the binary prints %q", first)
	}
	units, _ := os.ReadDir(filepath.Join(state, "units"))
	var names []string
	for _, u := range units {
		names = append(names, strings.SplitN(u.Name(), "-", 2)[0])
	}
	sort.Strings(names)
	// app, greeter and greeter-macros, and the two build scripts: path
	// packages only, never serde or the other registry crates.
	if want := "app build_script_build build_script_build greeter greeter_macros"; strings.Join(names, " ") != want {
		t.Errorf("incremental directories for %q, want %q", names, want)
	}

	lib := filepath.Join(ws, "greeter/src/lib.rs")
	greeting := "Good day, {name}!"
	editLib := func(k int) {
		t.Helper()
		next := fmt.Sprintf("Good day %d, {name}!", k)
		edit(t, lib, greeting, next)
		greeting = next
	}
	for k := 1; k <= 3; k++ {
		editLib(k)
		r, first = build(nil)
		if want := fmt.Sprintf("Good day %d, Nix!", k); first != want {
			t.Errorf("edit %d: the binary prints %q, want %q", k, first, want)
		}
		// greeter's build script sees its whole package, so it runs again
		// (docs/limitations.md), but its compile reads build.rs alone.
		want := "app v1.0.0 (bin app)|greeter v0.2.1 (build script run)|greeter v0.2.1 (lib)"
		if got := compiled(r.stderr); strings.Join(got, "|") != want {
			t.Errorf("edit %d compiled %q, want the lib, its build-script run and the bin", k, got)
		}
		if strings.Contains(r.stderr, "compiling from scratch") {
			t.Errorf("edit %d: a builder did not use its state:\n%s", k, r.stderr)
		}
	}
	withState := incrementalReport(t, ws, env)

	// The state unusable (a file where its directory belongs), and another
	// builder, so that every unit compiles again: a warning, and outputs
	// byte for byte those compiled with state (equal content-addressed
	// paths). The .drv paths do not depend on the state either.
	os.RemoveAll(state)
	os.WriteFile(state, []byte("not a directory"), 0o644)
	env = []string{"CARGO_NIX_UNIT_BUILDER=" + nonceBuilder(t)}
	r, first = build(nil)
	if first != "Good day 3, Nix!" || !strings.Contains(r.stderr, "cannot keep incremental compilation state") {
		t.Errorf("without state: the binary prints %q; stderr:\n%s", first, r.stderr)
	}
	withoutState := incrementalReport(t, ws, env)
	for unit, out := range withState.outs {
		if withoutState.outs[unit] != out {
			t.Errorf("%s: output %s compiled with state, %s without", unit, out, withoutState.outs[unit])
		}
	}
	os.Remove(state)
	if again := incrementalReport(t, ws, env); fmt.Sprint(again.drvs) != fmt.Sprint(withoutState.drvs) {
		t.Errorf("the .drv paths with state differ from those without:\n%v\n%v", again.drvs, withoutState.drvs)
	}

	// Damage: garbage in every file rustc keeps, then an edit.
	editLib(4)
	build(nil)
	garbled := 0
	filepath.Walk(filepath.Join(state, "units"), func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() && strings.Contains(p, "/rustc/") {
			os.WriteFile(p, []byte("garbage"), 0o644)
			garbled++
		}
		return nil
	})
	if garbled == 0 {
		t.Fatal("no files of rustc in the incremental state")
	}
	editLib(5)
	r, first = build(nil)
	if first != "Good day 5, Nix!" {
		t.Errorf("after damaging the state, the binary prints %q", first)
	}
	if !strings.Contains(r.stderr, "is not as the last build left it") {
		t.Errorf("no note about the damaged state:\n%s", r.stderr)
	}

	// CARGO_INCREMENTAL=0: Cargo compiles from scratch; so do the derivations.
	r, first = build([]string{"CARGO_INCREMENTAL=0"})
	if first != "Good day 5, Nix!" {
		t.Errorf("with CARGO_INCREMENTAL=0 the binary prints %q", first)
	}
	for _, u := range compiled(r.stderr) {
		if !strings.HasPrefix(u, "app ") && !strings.HasPrefix(u, "greeter ") && !strings.HasPrefix(u, "greeter-macros ") {
			t.Errorf("CARGO_INCREMENTAL=0 compiled %s: only units of path packages change", u)
		}
	}
}

// report is what `build --json` says of each unit: its .drv and its output.
type report struct{ drvs, outs map[string]string }

func incrementalReport(t *testing.T, ws string, env []string) report {
	t.Helper()
	r := cnuEnv(t, ws, env, "build", "--no-link", "--json", "--content-addressed=on")
	if r.code != 0 {
		t.Fatalf("build --json: exit %d\n%s", r.code, r.stderr)
	}
	var rep struct {
		Units []struct{ Unit, Drv, Out string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	out := report{map[string]string{}, map[string]string{}}
	for _, u := range rep.Units {
		out.drvs[u.Unit], out.outs[u.Unit] = u.Drv, u.Out
	}
	return out
}

// nonceBuilder is a copy of the builder with bytes appended: it runs the
// same, and every derivation is new to the store.
func nonceBuilder(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(bins, "cargo-nix-unit-builder"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "cargo-nix-unit-builder")
	if err := os.WriteFile(p, append(b, fmt.Sprintf("\nnonce %d\n", time.Now().UnixNano())...), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}
