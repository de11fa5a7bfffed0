package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// corpusCrates is how many crates the corpus uses, one line of output each:
// docs/tests.md's "28 of 28 crates match".
const corpusCrates = 28

// The crate corpus (testdata/corpus: 28 widely used crates from Debian, with
// their real build scripts, proc-macros and cfg probing, zlib found through
// pkg-config) prints one line per crate; built through Nix it prints what
// `cargo run` prints, in CA and input-addressed mode, debug and release; its
// tests, run through Nix, report the counts `cargo test` reports.
func TestCorpusMatchesCargo(t *testing.T) {
	requireTools(t)
	ws := filepath.Join(t.TempDir(), "corpus")
	if out, err := exec.Command("cp", "-r", filepath.Join(repoRoot(), "testdata", "corpus"), ws).CombinedOutput(); err != nil {
		t.Fatalf("copying the corpus: %v\n%s", err, out)
	}
	if n := corpusDependencies(t, filepath.Join(ws, "Cargo.toml")); n != corpusCrates {
		t.Fatalf("the corpus depends on %d crates; docs/tests.md and this test say %d", n, corpusCrates)
	}
	// One target directory: cargo test then builds only the corpus's tests.
	target := filepath.Join(t.TempDir(), "target")
	for _, profile := range []string{"dev", "release"} {
		flags := []string{"run", "-q"}
		if profile == "release" {
			flags = append(flags, "--release")
		}
		cr := run(t, ws, []string{"CARGO_TARGET_DIR=" + target}, "cargo", flags...)
		if cr.code != 0 {
			t.Fatalf("cargo %s: exit %d\n%s", strings.Join(flags, " "), cr.code, cr.stderr)
		}
		flags = flags[2:]
		want := strings.Split(strings.TrimSpace(cr.stdout), "\n")
		if len(want) != corpusCrates {
			t.Fatalf("cargo run prints %d lines, want one per crate (%d)", len(want), corpusCrates)
		}
		for _, ca := range []string{"on", "off"} {
			t.Run(profile+"/content-addressed="+ca, func(t *testing.T) {
				r := cnu(t, ws, append([]string{"build", "--no-link", "--print-out-paths", "--content-addressed=" + ca}, flags...)...)
				if r.code != 0 {
					t.Fatalf("build: exit %d\n%s", r.code, r.stderr)
				}
				got := strings.Split(strings.TrimSpace(run(t, ws, nil, filepath.Join(strings.TrimSpace(r.stdout), "bin", "corpus")).stdout), "\n")
				match := 0
				for k, w := range want {
					if k < len(got) && got[k] == w {
						match++
					} else {
						g := "(missing)"
						if k < len(got) {
							g = got[k]
						}
						t.Errorf("line %d: cargo-nix-unit's binary prints %q, cargo run's %q", k+1, g, w)
					}
				}
				if len(got) != len(want) {
					t.Errorf("%d lines, cargo run prints %d", len(got), len(want))
				}
				t.Logf("%d of %d crates match", match, len(want))
				if match != corpusCrates {
					t.Errorf("%d of %d crates match, want %d of %d", match, len(want), corpusCrates, corpusCrates)
				}
			})
		}
	}

	t.Run("test", func(t *testing.T) {
		want := cargoTest(t, ws, target)
		if want.code != 0 {
			t.Fatalf("cargo test: exit %d\n%s", want.code, want.stderr)
		}
		r := mustCNU(t, ws, "test", "--no-link")
		sameTests(t, r, want)
		r = mustCNU(t, ws, "test", "--no-link")
		if !strings.Contains(r.stderr, "2 test runs: 0 ran, 2 cached") {
			t.Errorf("second run made runs:\n%s", r.stderr)
		}
	})
}

// corpusDependencies counts the entries of the manifest's [dependencies] table.
func corpusDependencies(t *testing.T, manifest string) int {
	t.Helper()
	b, err := os.ReadFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	n, in := 0, false
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, "["):
			in = l == "[dependencies]"
		case in && l != "" && !strings.HasPrefix(l, "#"):
			n++
		}
	}
	return n
}
