package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// jsonReport is the part of build --json these tests read.
type jsonReport struct {
	Built, Cached, CutOff int
	Units                 []struct {
		Unit, Key, Drv, Status string
		Seconds                float64
	}
}

// A release build of examples/workspace compiles greeter-macros twice: as a
// root (opt-level 3) and as the host dependency of greeter and app (the
// build-override profile, opt-level 0). Each unit is reported once, with its
// own derivation, status and time: after an edit of the proc-macro both are
// built, and --json says so for both (they shared a derivation name, and the
// report credited one unit's build to the other).
func TestTwoUnitsOfOnePackage(t *testing.T) {
	requireTools(t)
	ws := copyWorkspace(t, "workspace")
	build := func() jsonReport {
		r := mustCNU(t, ws, "build", "--release", "--json", "--no-link")
		var rep jsonReport
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatalf("--json: %v\n%s", err, r.stdout)
		}
		keys, drvs := map[string]bool{}, map[string]bool{}
		for _, u := range rep.Units {
			name := u.Drv[strings.IndexByte(u.Drv, '-')+1:]
			if keys[u.Key] || drvs[name] {
				t.Errorf("unit %s: key %s or derivation name %s is not unique", u.Unit, u.Key, name)
			}
			keys[u.Key], drvs[name] = true, true
		}
		return rep
	}
	macros := func(rep jsonReport) map[string]string {
		m := map[string]string{}
		for _, u := range rep.Units {
			if strings.HasPrefix(u.Unit, "greeter-macros v0.1.0 (proc-macro)") {
				m[u.Key] = u.Status
				if u.Status == "built" && u.Seconds <= 0 {
					t.Errorf("%s was built but has no build time", u.Key)
				}
			}
		}
		return m
	}
	if got := macros(build()); len(got) != 2 {
		t.Fatalf("greeter-macros units: %v, want two", got)
	}
	lib := filepath.Join(ws, "greeter-macros", "src", "lib.rs")
	src, err := os.ReadFile(lib)
	if err != nil {
		t.Fatal(err)
	}
	// A new edit each run: one seen before would be cached.
	edit := fmt.Sprintf("// edited %d\n", time.Now().UnixNano())
	if err := os.WriteFile(lib, append(src, edit...), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := build()
	for key, status := range macros(rep) {
		if status != "built" {
			t.Errorf("after an edit of greeter-macros, %s is %s, want built", key, status)
		}
	}
}

// No two units of any fixture share a derivation name or a key.
func TestFixtureNamesUnique(t *testing.T) {
	requireTools(t)
	dirs, _ := filepath.Glob(filepath.Join(repoRoot(), "testdata", "workspaces", "*"))
	dirs = append(dirs, filepath.Join(repoRoot(), "examples", "workspace"), filepath.Join(repoRoot(), "testdata", "corpus"))
	for _, dir := range dirs {
		for _, flags := range [][]string{nil, {"--release", "--all-targets"}} {
			t.Run(filepath.Base(dir)+strings.Join(flags, ""), func(t *testing.T) {
				ws := filepath.Join(t.TempDir(), "ws")
				if r := run(t, repoRoot(), nil, "cp", "-r", dir, ws); r.code != 0 {
					t.Fatal(r.stderr)
				}
				os.RemoveAll(filepath.Join(ws, "target"))
				r := mustCNU(t, ws, append([]string{"graph", "--json", "--content-addressed=off"}, flags...)...)
				var g graphJSON
				if err := json.Unmarshal([]byte(r.stdout), &g); err != nil {
					t.Fatal(err)
				}
				names := map[string]string{}
				for _, u := range g.Units {
					name := u.DrvPath[strings.IndexByte(u.DrvPath, '-')+1:]
					if other, ok := names[name]; ok {
						t.Errorf("units %s and %s share the derivation name %s", other, u.Key, name)
					}
					names[name] = u.Key
				}
			})
		}
	}
}
