package e2e

import (
	"bytes"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"
)

// cnuParallel runs several `cargo nix-unit` commands at once and returns their results.
func cnuParallel(t *testing.T, dirs []string, args [][]string) []result {
	t.Helper()
	out := make([]result, len(dirs))
	errs := make([]error, len(dirs))
	var wg sync.WaitGroup
	for i := range dirs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(filepath.Join(bins, "cargo-nix-unit"), append([]string{"nix-unit"}, args[i]...)...)
			cmd.Dir = dirs[i]
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if ee, ok := err.(*exec.ExitError); ok {
				out[i].code = ee.ExitCode()
			} else {
				errs[i] = err
			}
			out[i].stdout, out[i].stderr = stdout.String(), stderr.String()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// Two builds of one workspace at once both succeed, and Nix's locks make each
// new unit build once in all: the second build waits for the first's results.
func TestConcurrentBuildsOfOneWorkspace(t *testing.T) {
	requireTools(t)
	for _, mode := range []string{"on", "off"} {
		t.Run("content-addressed="+mode, func(t *testing.T) {
			ws := copyWorkspace(t, "workspace")
			nonce := fmt.Sprintf("%d", time.Now().UnixNano())
			// New: greeter's build script, its run, its lib, and app's bin (nonces in
			// outputs, not comments, so no CA unit resolves to an earlier result).
			edit(t, filepath.Join(ws, "greeter/build.rs"), "fn main() {", "fn main() {\n    println!(\"cargo::metadata=nonce="+nonce+"\");")
			edit(t, filepath.Join(ws, "greeter/src/lib.rs"), `"Good day, {name}!"`, `"Good day, {name}! `+nonce+`"`)
			links := []string{filepath.Join(t.TempDir(), "result-a"), filepath.Join(t.TempDir(), "result-b")}
			rs := cnuParallel(t, []string{ws, ws}, [][]string{
				{"build", "--content-addressed=" + mode, "-o", links[0]},
				{"build", "--content-addressed=" + mode, "-o", links[1]},
			})
			var all []string
			for i, r := range rs {
				if r.code != 0 {
					t.Fatalf("build %d: exit %d\n%s", i, r.code, r.stderr)
				}
				all = append(all, compiled(r.stderr)...)
			}
			sort.Strings(all)
			for _, u := range []string{"app v1.0.0 (bin app)", "greeter v0.2.1 (build script)", "greeter v0.2.1 (lib)"} {
				if !slices.Contains(all, u) {
					t.Errorf("neither build compiled %s", u)
				}
			}
			if u := uniq(all); len(u) != len(all) {
				t.Errorf("a unit was compiled twice: %q\nfirst:\n%s\nsecond:\n%s", all, rs[0].stderr, rs[1].stderr)
			}
			wantOut := cargoRun(t, ws)
			for _, l := range links {
				if got := run(t, ws, nil, filepath.Join(l, "bin", "app")); got.stdout != wantOut {
					t.Errorf("%s/bin/app prints\n%s\nwant\n%s", l, got.stdout, wantOut)
				}
			}
		})
	}
}

// Two workspaces sharing dependencies build at once.
func TestConcurrentBuildsOfTwoWorkspaces(t *testing.T) {
	requireTools(t)
	var dirs []string
	var args [][]string
	for i := range 2 {
		ws := copyWorkspace(t, "workspace")
		edit(t, filepath.Join(ws, "greeter/src/lib.rs"), `"Good day, {name}!"`, fmt.Sprintf(`"Good day, {name}! %d-%d"`, time.Now().UnixNano(), i))
		dirs = append(dirs, ws)
		args = append(args, []string{"build", "-o", filepath.Join(t.TempDir(), "result")})
	}
	for i, r := range cnuParallel(t, dirs, args) {
		if r.code != 0 {
			t.Errorf("workspace %d: exit %d\n%s", i, r.code, r.stderr)
		}
	}
}

func uniq(xs []string) []string {
	var out []string
	for _, x := range xs {
		if len(out) == 0 || out[len(out)-1] != x {
			out = append(out, x)
		}
	}
	return out
}
