package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// newCrate makes a fresh crate as a new user would, with `cargo new --vcs vcs
// NAME` in a temporary directory, and returns its directory.
func newCrate(t *testing.T, name, vcs string, args ...string) string {
	t.Helper()
	parent := t.TempDir()
	r := run(t, parent, nil, "cargo", append([]string{"new", "-q", "--vcs", vcs, name}, args...)...)
	if r.code != 0 {
		t.Fatalf("cargo new %s: exit %d\n%s", name, r.code, r.stderr)
	}
	return filepath.Join(parent, name)
}

// write creates dir/rel with body, and the directories leading to it.
func write(t *testing.T, dir, rel, body string) {
	t.Helper()
	p := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// cargoBuild runs `cargo build` in dir with a private target directory and
// returns its result: what the tool must match.
func cargoBuild(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return run(t, dir, []string{"CARGO_TARGET_DIR=" + filepath.Join(t.TempDir(), "target")}, "cargo", append([]string{"build", "-q"}, args...)...)
}

// hasResult reports whether the build's result holds rel (bin/x, examples/y).
func hasResult(dir, rel string) bool {
	_, err := os.Stat(filepath.Join(dir, "result", rel))
	return err == nil
}

// Files Cargo discovers on its own (build.rs, src/bin/*, examples/*/main.rs, a
// new member of a `members` glob) change the plan without a manifest edit: the
// cached unit graph and the no-op stamp must see them come and go. From issue
// 12: a panicking build.rs added after two builds went unnoticed (exit 0).
func TestNoopSeesDiscoveredTargets(t *testing.T) {
	requireTools(t)
	for _, vcs := range []string{"git", "none"} {
		t.Run("vcs="+vcs, func(t *testing.T) {
			dir := newCrate(t, "s4", vcs)
			build := func(args ...string) result {
				t.Helper()
				return cnu(t, dir, append([]string{"build", "-v", "--color=never"}, args...)...)
			}
			mustBuild := func(args ...string) result {
				t.Helper()
				r := build(args...)
				if r.code != 0 {
					t.Fatalf("build %v: exit %d\n%s", args, r.code, r.stderr)
				}
				return r
			}
			mustBuild()
			mustBuild()
			if r := mustBuild(); !strings.Contains(r.stderr, "Fresh s4") {
				t.Fatalf("third build of an unchanged crate is not a no-op:\n%s", r.stderr)
			}

			write(t, dir, "build.rs", `fn main(){panic!("BUILD SCRIPT RAN")}`+"\n")
			write(t, dir, "src/bin/extra.rs", "fn main(){}\n")
			if c := cargoBuild(t, dir); c.code != 101 {
				t.Fatalf("cargo build with a panicking build.rs: exit %d, want 101\n%s", c.code, c.stderr)
			}
			if r := build(); r.code != 101 || !strings.Contains(r.stderr, "BUILD SCRIPT RAN") {
				t.Fatalf("a new build.rs was not run: exit %d, want 101\n%s", r.code, r.stderr)
			}

			write(t, dir, "build.rs", "fn main(){}\n")
			mustBuild()
			if !hasResult(dir, "bin/extra") {
				t.Errorf("src/bin/extra.rs was not built")
			}
			mustBuild() // settles the no-op stamp

			if err := os.Remove(filepath.Join(dir, "build.rs")); err != nil {
				t.Fatal(err)
			}
			mustBuild()
			write(t, dir, "src/bin/tool/main.rs", "fn main(){}\n")
			mustBuild()
			if !hasResult(dir, "bin/tool") {
				t.Errorf("src/bin/tool/main.rs was not built")
			}

			mustBuild("--examples")
			mustBuild("--examples")
			write(t, dir, "examples/demo/main.rs", "fn main(){}\n")
			mustBuild("--examples")
			if !hasResult(dir, "examples/demo") {
				t.Errorf("examples/demo/main.rs was not built")
			}
		})
	}

	t.Run("members glob", func(t *testing.T) {
		ws := t.TempDir()
		write(t, ws, "Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n")
		if r := run(t, ws, nil, "cargo", "new", "-q", "--vcs", "none", "crates/a"); r.code != 0 {
			t.Fatalf("cargo new crates/a: %s", r.stderr)
		}
		mustCNU(t, ws, "build")
		mustCNU(t, ws, "build")
		if r := run(t, ws, nil, "cargo", "new", "-q", "--vcs", "none", "crates/b"); r.code != 0 {
			t.Fatalf("cargo new crates/b: %s", r.stderr)
		}
		mustCNU(t, ws, "build")
		if !hasResult(ws, "bin/a") || !hasResult(ws, "bin/b") {
			t.Errorf("the new member crates/b was not built")
		}
	})
}
