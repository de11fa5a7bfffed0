package e2e

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
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

// sourceFiles lists the files of the store source of a one-unit build, from
// its --json report: the unit's .drv names the source as an input.
func sourceFiles(t *testing.T, dir string, env []string, args ...string) []string {
	t.Helper()
	r := cnuEnv(t, dir, env, append([]string{"build", "--json"}, args...)...)
	if r.code != 0 {
		t.Fatalf("build --json: exit %d\n%s", r.code, r.stderr)
	}
	var rep struct {
		Units []struct{ Drv string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || len(rep.Units) == 0 {
		t.Fatalf("reading the --json report (%v):\n%s", err, r.stdout)
	}
	refs := run(t, dir, nil, "nix-store", "--query", "--references", rep.Units[0].Drv)
	for _, p := range strings.Fields(refs.stdout) {
		if !strings.HasSuffix(p, "-source") {
			continue
		}
		var files []string
		filepath.WalkDir(p, func(f string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(p, f)
				files = append(files, rel)
			}
			return nil
		})
		return files
	}
	t.Fatalf("no source among the references of %s:\n%s", rep.Units[0].Drv, refs.stdout)
	return nil
}

var unitsLine = regexp.MustCompile(`(?m)^1 units?: (\d+) built, (\d+) cached`)

// A package's store source never holds what the tool or Cargo writes: the
// result link (result, result-*, any -o path) and the target directory,
// wherever it is configured. From issue 12: a fresh `cargo new` crate built
// again on its second run, and forever with a target directory inside it.
func TestSourcesLeaveOutOutputs(t *testing.T) {
	requireTools(t)
	for _, tc := range []struct {
		name, vcs string
		env       []string
		args      []string
		setup     func(dir string)
		gone      []string // files (and with a trailing slash, directories) no source may hold
	}{
		{name: "git", vcs: "git", gone: []string{"result", "target/"}},
		{name: "no git", vcs: "none", gone: []string{"result", "target/"}},
		{name: "CARGO_TARGET_DIR inside", vcs: "git", env: []string{"CARGO_TARGET_DIR=out"}, gone: []string{"out/", "result"}},
		{name: "CARGO_TARGET_DIR inside, no git", vcs: "none", env: []string{"CARGO_TARGET_DIR=out"}, gone: []string{"out/", "result"}},
		{name: "build.target-dir", vcs: "none", gone: []string{"mytgt/", "result"},
			setup: func(dir string) { write(t, dir, ".cargo/config.toml", "[build]\ntarget-dir = \"mytgt\"\n") }},
		{name: "absolute CARGO_TARGET_DIR inside", vcs: "git", gone: []string{"abs/", "result"}},
		{name: "-o", vcs: "git", args: []string{"-o", "links/app"}, gone: []string{"links/", "result"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := newCrate(t, "c2", tc.vcs)
			env := tc.env
			if strings.HasPrefix(tc.name, "absolute") {
				env = []string{"CARGO_TARGET_DIR=" + filepath.Join(dir, "abs")}
			}
			write(t, dir, "result.txt", "a file of the package, not a link\n")
			if tc.setup != nil {
				tc.setup(dir)
			}
			build := func(extra ...string) result {
				t.Helper()
				r := cnuEnv(t, dir, env, append(append([]string{"build", "-v", "--color=never"}, tc.args...), extra...)...)
				if r.code != 0 {
					t.Fatalf("build: exit %d\n%s", r.code, r.stderr)
				}
				return r
			}
			build()
			// A link of an earlier `nix build` next to ours.
			link := "result"
			if len(tc.args) > 0 {
				link = tc.args[1]
			}
			out, err := os.Readlink(filepath.Join(dir, link))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(out, filepath.Join(dir, "result-1")); err != nil {
				t.Fatal(err)
			}
			r := build()
			if m := unitsLine.FindStringSubmatch(r.stderr); m == nil || m[1] != "0" {
				t.Errorf("second build of an unchanged crate built again:\n%s", r.stderr)
			}
			if r := build(); !strings.Contains(r.stderr, "Fresh c2") {
				t.Errorf("third build of an unchanged crate is not a no-op:\n%s", r.stderr)
			}
			files := sourceFiles(t, dir, env, tc.args...)
			if !slices.Contains(files, "result.txt") || !slices.Contains(files, "src/main.rs") {
				t.Errorf("the source lacks the package's files: %q", files)
			}
			for _, f := range files {
				for _, g := range append(tc.gone, "result-1") {
					if f == g || strings.HasSuffix(g, "/") && strings.HasPrefix(f, g) {
						t.Errorf("the source holds %s", f)
					}
				}
			}
		})
	}
}

// Bad input that Cargo itself reports ends as under Cargo: its message, once,
// and its exit status. The tool's Cargo calls never wait for each other's lock.
// From issue 12: each of these exited 1 where Cargo exits 101, and stderr
// showed "Blocking waiting for file lock on package cache".
func TestCargoErrors(t *testing.T) {
	requireTools(t)
	for _, tc := range []struct {
		name  string
		setup func(dir string)
		args  []string
		want  string // Cargo's message
	}{
		{name: "invalid Cargo.toml", setup: func(dir string) { write(t, dir, "Cargo.toml", "[package\n") }, want: "unclosed table"},
		{name: "--locked without Cargo.lock", args: []string{"--locked"}, want: "because --locked was passed"},
		{name: "-p nope", args: []string{"-p", "nope"}, want: "did not match any packages"},
		{name: "--bin nope", args: []string{"--bin", "nope"}, want: "no bin target named `nope`"},
		{name: "--example nope", args: []string{"--example", "nope"}, want: "no example target named `nope`"},
		{name: "--features nope", args: []string{"--features", "nope"}, want: "does not contain this feature: nope"},
		{name: "--profile nope", args: []string{"--profile", "nope"}, want: "profile `nope` is not defined"},
		{name: "--target nope-triple", args: []string{"--target", "nope-triple"}, want: `could not find specification for target "nope-triple"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := newCrate(t, "bad", "none")
			if tc.setup != nil {
				tc.setup(dir)
			}
			// Cargo's package-cache lock lives in CARGO_HOME: a private one
			// leaves out the other Cargo processes on this machine, so only the
			// tool's own calls could wait for each other.
			home := []string{"CARGO_HOME=" + t.TempDir()}
			r := cnuEnv(t, dir, home, append([]string{"build"}, tc.args...)...)
			c := run(t, dir, append(home, "CARGO_TARGET_DIR="+filepath.Join(t.TempDir(), "target")), "cargo", append([]string{"build", "-q"}, tc.args...)...)
			if c.code == 0 || !strings.Contains(c.stderr, tc.want) {
				t.Fatalf("cargo build %v: exit %d, want a failure saying %q\n%s", tc.args, c.code, tc.want, c.stderr)
			}
			if r.code != c.code {
				t.Errorf("exit %d, cargo build exits %d\n%s", r.code, c.code, r.stderr)
			}
			if n := strings.Count(r.stderr, tc.want); n != 1 {
				t.Errorf("Cargo's message %q appears %d times, want once:\n%s", tc.want, n, r.stderr)
			}
			if strings.Contains(r.stderr, "Blocking waiting for file lock") {
				t.Errorf("the tool's Cargo calls waited for each other:\n%s", r.stderr)
			}
		})
	}
}

// A build script sees every file of its package, as under Cargo: from issue
// 12, unicode-linebreak 0.1.4's build.rs has include!("src/shared.rs"), and its
// build-script unit, given the package without its targets' .rs files, failed.
func TestBuildScriptSeesItsPackage(t *testing.T) {
	requireTools(t)
	dir := newCrate(t, "linebreak", "git")
	write(t, dir, "src/shared.rs", "const SHARED: &str = \"shared with build.rs\";\n")
	write(t, dir, "build.rs", "include!(\"src/shared.rs\");\n\nfn main() {\n    println!(\"cargo::rustc-env=FROM_BUILD={}\", SHARED.len());\n}\n")
	write(t, dir, "src/main.rs", "include!(\"shared.rs\");\n\nfn main() {\n    println!(\"{SHARED}: {}\", env!(\"FROM_BUILD\"));\n}\n")
	want := cargoRun(t, dir)
	r := cnu(t, dir, "build")
	if r.code != 0 {
		t.Fatalf("build: exit %d, cargo builds it\n%s", r.code, r.stderr)
	}
	if got := run(t, dir, nil, filepath.Join(dir, "result/bin/linebreak")).stdout; got != want {
		t.Errorf("the binary prints %q, cargo run %q", got, want)
	}
	// Its compile reads the package (build.rs has an include!), so an edit of
	// the included file compiles it again; a build script reading only itself
	// is not (TestEditRebuildsOnlyDependents).
	// A nonce: a run before this one has built the same edit into the store.
	write(t, dir, "src/shared.rs", fmt.Sprintf("const SHARED: &str = \"shared, edited %d\";\n", time.Now().UnixNano()))
	want = cargoRun(t, dir)
	r = mustCNU(t, dir, "build")
	if got := compiled(r.stderr); !slices.Contains(got, "linebreak v0.1.0 (build script)") {
		t.Errorf("after editing the file build.rs includes, compiled %q, want its build script too\n%s", got, r.stderr)
	}
	if got := run(t, dir, nil, filepath.Join(dir, "result/bin/linebreak")).stdout; got != want {
		t.Errorf("after the edit the binary prints %q, cargo run %q", got, want)
	}
}

// One unit is "1 unit", in the build's summary, its timings and the graph's.
func TestOneUnitIsSingular(t *testing.T) {
	requireTools(t)
	dir := newCrate(t, "one", "none")
	r := mustCNU(t, dir, "build", "--timings", "--color=never")
	if !regexp.MustCompile(`(?m)^1 unit: \d built, \d cached$`).MatchString(r.stderr) || !strings.Contains(r.stderr, "(1 unit)") {
		t.Errorf("build says no \"1 unit: N built, N cached\" and \"(1 unit)\":\n%s", r.stderr)
	}
	g := mustCNU(t, dir, "graph")
	for _, want := range []string{"1 unit in 1 package (1 workspace member)", "1 unit cached"} {
		if !strings.Contains(g.stdout, want) {
			t.Errorf("graph says no %q:\n%s", want, g.stdout)
		}
	}
	for _, out := range []string{r.stderr, g.stdout} {
		if strings.Contains(out, "1 units") || strings.Contains(out, "1 packages") || strings.Contains(out, "1 workspace members") {
			t.Errorf("plural for one:\n%s", out)
		}
	}
}

// A unit that reads a file outside its package, or a build script that writes
// into its source, fails (its source is a read-only copy of the package in the
// store) with one more line after rustc's or the panic's text saying so and
// what to do. From issue 12: both failed with rustc's or the panic's text alone.
func TestReadOnlySourceSaysWhy(t *testing.T) {
	requireTools(t)
	t.Run("include_str outside the package", func(t *testing.T) {
		ws := t.TempDir()
		write(t, ws, "Cargo.toml", "[workspace]\nmembers = [\"app\"]\nresolver = \"2\"\n")
		write(t, ws, "README.md", "read me\n")
		if r := run(t, ws, nil, "cargo", "new", "-q", "--vcs", "none", "app"); r.code != 0 {
			t.Fatalf("cargo new app: %s", r.stderr)
		}
		write(t, ws, "app/src/main.rs", "fn main() {\n    print!(\"{}\", include_str!(\"../../README.md\"));\n}\n")
		if c := cargoBuild(t, ws); c.code != 0 {
			t.Fatalf("cargo build: exit %d\n%s", c.code, c.stderr)
		}
		r := cnu(t, ws, "build", "--color=never")
		if r.code != 101 || !strings.Contains(r.stderr, "couldn't read `app/src/../../README.md`") {
			t.Fatalf("exit %d, want 101 with rustc's message\n%s", r.code, r.stderr)
		}
		want := "note: README.md is outside package app, whose source is a read-only copy in the Nix store holding only the package's own files: move the file into the package"
		if n := strings.Count(r.stderr, want); n != 1 {
			t.Errorf("%d lines %q, want 1:\n%s", n, want, r.stderr)
		}
	})
	t.Run("build script writes into its source", func(t *testing.T) {
		dir := newCrate(t, "bw", "none")
		write(t, dir, "build.rs", "fn main() {\n    std::fs::write(\"generated.rs\", \"// generated\").unwrap();\n}\n")
		if c := cargoBuild(t, dir); c.code != 0 {
			t.Fatalf("cargo build: exit %d\n%s", c.code, c.stderr)
		}
		r := cnu(t, dir, "build", "--color=never")
		if r.code != 101 || !strings.Contains(r.stderr, "panicked at build.rs") {
			t.Fatalf("exit %d, want 101 with the panic's message\n%s", r.code, r.stderr)
		}
		want := "note: bw's build script runs in its package's source, a read-only copy in the Nix store: write generated files into OUT_DIR"
		if n := strings.Count(r.stderr, want); n != 1 {
			t.Errorf("%d lines %q, want 1:\n%s", n, want, r.stderr)
		}
	})
}

// graph --why for a workspace member the command does not select says so and
// how to select it. From issue 12: it said no unit or package had that name.
func TestWhyUnselectedMember(t *testing.T) {
	requireTools(t)
	dir := newCrate(t, "a", "none")
	f, err := os.OpenFile(filepath.Join(dir, "Cargo.toml"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("\n[workspace]\nmembers = [\"b\"]\n")
	f.Close()
	if r := run(t, dir, nil, "cargo", "new", "-q", "--vcs", "none", "--lib", "b"); r.code != 0 {
		t.Fatalf("cargo new b: %s", r.stderr)
	}
	r := cnu(t, dir, "graph", "--why", "b")
	want := "--why b: package b is a workspace member that this command does not select; add -p b"
	if r.code == 0 || !strings.Contains(r.stderr, want) {
		t.Errorf("graph --why b: exit %d, want a failure saying %q\n%s", r.code, want, r.stderr)
	}
	if r := mustCNU(t, dir, "graph", "-p", "b", "--why", "b"); !strings.Contains(r.stdout, "b v0.1.0 (lib)") {
		t.Errorf("graph -p b --why b does not show b's lib:\n%s", r.stdout)
	}
}

// A root package's library does not record where its source sits in the
// store: an edit of another of its files gives the same library, so a member
// depending on it is cut off (content-addressed). Before, rustc ran in the
// source's store path, which went into the library's debug info and metadata.
func TestRootPackageOutputIgnoresItsStorePath(t *testing.T) {
	requireTools(t)
	dir := newCrate(t, "rp", "none", "--lib")
	write(t, dir, "src/lib.rs", "pub fn f() -> u32 { 7 }\n")
	f, err := os.OpenFile(filepath.Join(dir, "Cargo.toml"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("\n[workspace]\nmembers = [\"m\"]\n")
	f.Close()
	if r := run(t, dir, nil, "cargo", "new", "-q", "--vcs", "none", "m"); r.code != 0 {
		t.Fatalf("cargo new m: %s", r.stderr)
	}
	edit(t, filepath.Join(dir, "m/Cargo.toml"), "[dependencies]", "[dependencies]\nrp = { path = \"..\" }")
	write(t, dir, "m/src/main.rs", "fn main() { println!(\"{}\", rp::f()); }\n")
	// The library's output path: content-addressed, it names its bytes.
	libOut := func() string {
		r := mustCNU(t, dir, "build", "--workspace", "--content-addressed=on", "--no-link", "--json")
		var rep struct {
			Units []struct{ Unit, Out string }
		}
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatalf("reading the --json report: %v\n%s", err, r.stdout)
		}
		for _, u := range rep.Units {
			if u.Unit == "rp v0.1.0 (lib)" {
				return u.Out
			}
		}
		t.Fatalf("no rp lib in the report:\n%s", r.stdout)
		return ""
	}
	write(t, dir, "NOTES.md", fmt.Sprintf("%d\n", time.Now().UnixNano()))
	first := libOut()
	write(t, dir, "NOTES.md", fmt.Sprintf("%d\n", time.Now().UnixNano()))
	// Nix 2.26 may build m's bin again although its resolved inputs are the
	// same (see TestEarlyCutoff), so the library's bytes are what is checked.
	if again := libOut(); again != first {
		t.Errorf("after editing NOTES.md, rp's library changed: %s, then %s", first, again)
	}
}
