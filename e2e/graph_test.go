package e2e

import (
	"encoding/json"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testtool"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// requireDot skips when Graphviz is missing, except in CI (scripts/install-tools.sh installs it).
func requireDot(t *testing.T) {
	t.Helper()
	testtool.Require(t, "dot")
}

// graph --dot is valid Graphviz: dot renders it, with and without store status.
func TestGraphDotRenders(t *testing.T) {
	requireTools(t)
	requireDot(t)
	ws := copyWorkspace(t, "workspace")
	for _, args := range [][]string{{"graph", "--dot"}, {"graph", "--dot", "--with-status"}} {
		r := mustCNU(t, ws, args...)
		in := filepath.Join(t.TempDir(), "units.dot")
		if err := os.WriteFile(in, []byte(r.stdout), 0o644); err != nil {
			t.Fatal(err)
		}
		svg := run(t, ws, nil, "dot", "-Tsvg", in)
		if svg.code != 0 {
			t.Fatalf("%s: dot -Tsvg: exit %d\n%s", strings.Join(args, " "), svg.code, svg.stderr)
		}
		for _, want := range []string{"<svg", "app 1.0.0", "greeter 0.2.1", "DEP_GREETER", "workspace members"} {
			if !strings.Contains(svg.stdout, want) {
				t.Errorf("%s: the SVG lacks %q", strings.Join(args, " "), want)
			}
		}
	}
}

// graphJSON is the part of graph --json the tests read.
type graphJSON struct {
	ContentAddressed bool
	Result           struct{ DrvPath string }
	Units            []struct {
		Key, DrvPath string
		Valid        bool
		Cached       *bool
	}
}

// graph --json shows the derivations build registers, in every CA mode, and `valid`
// turns true once they are registered.
func TestGraphJSONMatchesBuild(t *testing.T) {
	requireTools(t)
	ws := copyWorkspace(t, "workspace")
	for _, mode := range []string{"", "on", "off"} {
		t.Run("content-addressed="+mode, func(t *testing.T) {
			var flags []string
			if mode != "" {
				flags = []string{"--content-addressed=" + mode}
			}
			var g graphJSON
			r := mustCNU(t, ws, append([]string{"graph", "--json"}, flags...)...)
			if err := json.Unmarshal([]byte(r.stdout), &g); err != nil {
				t.Fatalf("graph --json: %v\n%s", err, r.stdout)
			}
			if mode != "" && g.ContentAddressed != (mode == "on") {
				t.Errorf("contentAddressed = %v with --content-addressed=%s", g.ContentAddressed, mode)
			}
			got := []string{g.Result.DrvPath}
			for _, u := range g.Units {
				got = append(got, u.DrvPath)
				if u.Cached == nil {
					t.Errorf("%s: cached is null", u.Key)
				}
			}
			sort.Strings(got)
			b := mustCNU(t, ws, append([]string{"build", "--dry-run"}, flags...)...)
			want := strings.Fields(b.stdout)
			sort.Strings(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("graph --json derivations\n%s\nbuild --dry-run registered\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			r = mustCNU(t, ws, append([]string{"graph", "--json"}, flags...)...)
			if err := json.Unmarshal([]byte(r.stdout), &g); err != nil {
				t.Fatal(err)
			}
			for _, u := range g.Units {
				if !u.Valid {
					t.Errorf("%s: not valid after build --dry-run registered %s", u.Key, u.DrvPath)
				}
			}
		})
	}
}

// After an edit, the summary lists what will be built and --why names the change.
func TestGraphWhyAfterEdit(t *testing.T) {
	requireTools(t)
	ws := copyWorkspace(t, "workspace")
	mustCNU(t, ws, "build", "--no-link")
	if r := mustCNU(t, ws, "graph"); !strings.Contains(r.stdout, "all 33 units cached") {
		t.Errorf("after a build, the summary does not say all is cached:\n%s", r.stdout)
	}
	edit(t, filepath.Join(ws, "greeter/src/lib.rs"), `"Good day, {name}!"`, `"Good day, {name}! (edited for graph --why)"`)
	r := mustCNU(t, ws, "graph")
	for _, want := range []string{"To build   app v1.0.0 (bin app)", "greeter v0.2.1 (lib)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, r.stdout)
		}
	}
	r = mustCNU(t, ws, "graph", "--why", "app")
	for _, want := range []string{
		"app v1.0.0 (bin app) [app-1.0.0-bin-app] — to build",
		"dependency greeter v0.2.1 (lib) changed",
		"where it started: greeter v0.2.1 (lib): source changed: /nix/store/",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("graph --why app lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "flags changed") {
		t.Errorf("an edit of greeter's source reads as a flag change of app:\n%s", r.stdout)
	}
}
