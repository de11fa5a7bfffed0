package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testtool"
)

// check and clippy on testdata/workspaces/diagnostics show what cargo check
// and cargo clippy show, in human and JSON form (golden files of ours, and
// compared with Cargo's); a second run shows them again with nothing built;
// -D warnings fails with 101; clippy reuses check's derivations for the
// dependencies.
func TestCheckAndClippy(t *testing.T) {
	requireTools(t)
	testtool.Require(t, "cargo-clippy")
	ws := copyFixture(t, "diagnostics")
	env := coldBuilder(t) // every unit new: the first run builds all
	target := filepath.Join(t.TempDir(), "target")
	cargo := func(args ...string) result {
		return run(t, ws, []string{"CARGO_TARGET_DIR=" + target}, "cargo", args...)
	}
	itoa := map[string]string{} // itoa's checked metadata, by command
	for _, tc := range []struct {
		name string
		args []string // the command and clippy's arguments
		code int
	}{
		{"check", []string{"check"}, 0},
		{"clippy", []string{"clippy"}, 0},
		{"clippy-deny", []string{"clippy", "--", "-D", "warnings"}, 101},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := cargo(tc.args...)
			if want.code != tc.code {
				t.Fatalf("cargo %s: exit %d, want %d\n%s", strings.Join(tc.args, " "), want.code, tc.code, want.stderr)
			}
			wantJSON := cargo(withMessageFormat(tc.args)...)

			// Human: the same diagnostics and warning counts as Cargo's.
			got := cnuEnv(t, ws, env, append([]string{tc.args[0], "--no-link", "--color=never", "--progress=plain"}, tc.args[1:]...)...)
			if got.code != tc.code {
				t.Fatalf("cargo nix-unit %s: exit %d, want %d\n%s", strings.Join(tc.args, " "), got.code, tc.code, got.stderr)
			}
			if tc.code == 0 {
				if g, w := diagnosticBlocks(got.stderr), diagnosticBlocks(want.stderr); !reflect.DeepEqual(g, w) {
					t.Errorf("diagnostics differ from Cargo's\n--- cargo nix-unit:\n%s\n--- cargo:\n%s", strings.Join(g, "\n"), strings.Join(w, "\n"))
				}
				golden(t, tc.name+".stderr", sortStatus(normalize(got.stderr, ws)))
			} else {
				for _, b := range diagnosticBlocks(want.stderr) {
					if !strings.Contains(got.stderr, b) {
						t.Errorf("the failure does not show Cargo's diagnostic\n%s\n--- cargo nix-unit:\n%s", b, got.stderr)
					}
				}
			}

			// JSON: Cargo's messages, for the same units; nothing built again.
			gotJSON := cnuEnv(t, ws, env, append([]string{tc.args[0], "--no-link", "--message-format=json"}, tc.args[1:]...)...)
			if gotJSON.code != tc.code {
				t.Fatalf("--message-format=json: exit %d, want %d\n%s", gotJSON.code, tc.code, gotJSON.stderr)
			}
			if g, w := compilerMessages(t, gotJSON.stdout), compilerMessages(t, wantJSON.stdout); !reflect.DeepEqual(g, w) {
				t.Errorf("compiler-message lines differ from Cargo's\n--- cargo nix-unit:\n%v\n--- cargo:\n%v", g, w)
			}
			if g, w := messageUnits(t, gotJSON.stdout), messageUnits(t, wantJSON.stdout); !reflect.DeepEqual(g, w) {
				t.Errorf("messages name other units than Cargo's\n--- cargo nix-unit:\n%v\n--- cargo:\n%v", g, w)
			}
			golden(t, tc.name+".json", normalize(gotJSON.stdout, ws))
			if !strings.Contains(gotJSON.stderr, " 0 built") && tc.code == 0 {
				t.Errorf("the JSON run built units again:\n%s", gotJSON.stderr)
			}
			if tc.code == 0 {
				itoa[tc.name] = artifactFile(t, gotJSON.stdout, "itoa")
			}

			// Again: replayed, nothing built; through Cargo and Nix, then the
			// same command from the no-op stamp, then --recheck. Without -o
			// there is no result link, and stdout stays empty.
			for _, extra := range [][]string{nil, nil, {"--recheck"}} {
				args := append(append([]string{tc.args[0], "--color=never", "--progress=plain"}, extra...), tc.args[1:]...)
				again := cnuEnv(t, ws, env, args...)
				if again.code != tc.code {
					t.Fatalf("second run %v: exit %d\n%s", extra, again.code, again.stderr)
				}
				if _, err := os.Lstat(filepath.Join(ws, "result")); err == nil || again.stdout != "" {
					t.Errorf("second run %v made a result link or printed %q", extra, again.stdout)
				}
				if tc.code == 0 && !reflect.DeepEqual(diagnosticBlocks(again.stderr), diagnosticBlocks(got.stderr)) {
					t.Errorf("second run %v shows other diagnostics:\n%s", extra, again.stderr)
				}
				if tc.code == 0 && !strings.Contains(again.stderr, " 0 built") {
					t.Errorf("second run %v built units:\n%s", extra, again.stderr)
				}
				if tc.code == 0 && strings.Contains(again.stderr, "Checking ") {
					t.Errorf("second run %v checked a unit again:\n%s", extra, again.stderr)
				}
			}
		})
	}
	if itoa["check"] == "" || itoa["check"] != itoa["clippy"] {
		t.Errorf("clippy did not reuse check's unit of the dependency itoa: %q and %q", itoa["check"], itoa["clippy"])
	}
}

// copyFixture copies testdata/workspaces/<name> into a fresh directory.
func copyFixture(t *testing.T, name string) string {
	t.Helper()
	ws := filepath.Join(t.TempDir(), name)
	if out, err := exec.Command("cp", "-r", filepath.Join(repoRoot(), "testdata", "workspaces", name), ws).CombinedOutput(); err != nil {
		t.Fatalf("copying %s: %v\n%s", name, err, out)
	}
	os.RemoveAll(filepath.Join(ws, "target"))
	return ws
}

// withMessageFormat puts --message-format=json before clippy's arguments.
func withMessageFormat(args []string) []string {
	out := []string{args[0], "--message-format=json"}
	return append(out, args[1:]...)
}

// statusRe matches the lines that are not diagnostics: Cargo's status lines,
// the tool's unit counts, a store path.
var statusRe = regexp.MustCompile(`^( {0,11}[A-Z][a-z]+ |\d+ units?: |/nix/store/|error: could not compile )`)

// diagnosticBlocks splits the diagnostics out of a command's stderr into one
// block per unit (its diagnostics and count line), sorted: the order of units
// is the scheduler's.
func diagnosticBlocks(stderr string) []string {
	var blocks []string
	var cur strings.Builder
	for _, l := range strings.SplitAfter(stderr, "\n") {
		if statusRe.MatchString(l) || l == "" {
			continue
		}
		cur.WriteString(l)
		if strings.HasPrefix(l, "warning: `") && strings.Contains(l, "generated") {
			blocks = append(blocks, cur.String())
			cur.Reset()
		}
	}
	if cur.Len() > 0 {
		blocks = append(blocks, cur.String())
	}
	sort.Strings(blocks)
	return blocks
}

// sortStatus puts the status lines of units, whose order Nix's scheduling
// decides, in a stable order at the top.
func sortStatus(s string) string {
	var status, rest []string
	for _, l := range strings.Split(s, "\n") {
		if w := strings.Fields(l); len(w) > 0 && (w[0] == "Compiling" || w[0] == "Checking" || w[0] == "Documenting") {
			status = append(status, l)
		} else {
			rest = append(rest, l)
		}
	}
	sort.Strings(status)
	return strings.Join(append(status, rest...), "\n")
}

// compilerMessages collects the compiler-message lines of a JSON stream by
// unit (package id and target), in order.
func compilerMessages(t *testing.T, stdout string) map[string][]any {
	t.Helper()
	out := map[string][]any{}
	for _, m := range jsonLines(t, stdout) {
		if m["reason"] == "compiler-message" {
			k := unitOf(m)
			out[k] = append(out[k], m)
		}
	}
	return out
}

// messageUnits lists the reason and unit of every message but diagnostics.
func messageUnits(t *testing.T, stdout string) []string {
	t.Helper()
	var out []string
	for _, m := range jsonLines(t, stdout) {
		if m["reason"] != "compiler-message" {
			out = append(out, m["reason"].(string)+" "+unitOf(m))
		}
	}
	sort.Strings(out)
	return out
}

func unitOf(m map[string]any) string {
	id, _ := m["package_id"].(string)
	tgt, _ := m["target"].(map[string]any)
	name, _ := tgt["name"].(string)
	kind, _ := json.Marshal(tgt["kind"])
	return id + " " + name + " " + string(kind)
}

// artifactFile is the first file of the package's compiler-artifact.
func artifactFile(t *testing.T, stdout, pkg string) string {
	t.Helper()
	for _, m := range jsonLines(t, stdout) {
		if id, _ := m["package_id"].(string); m["reason"] == "compiler-artifact" && strings.Contains(id, "#"+pkg+"@") {
			if files, _ := m["filenames"].([]any); len(files) > 0 {
				return files[0].(string)
			}
		}
	}
	return ""
}

func jsonLines(t *testing.T, stdout string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not a JSON message: %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}
