package buildscript

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// A workspace whose build scripts print every directive: app (cdylib+rlib lib,
// two bins, an example, a test and a bench) depends on dep (links = "my-dep")
// and on the proc-macro pm, and has bdep as a build dependency; nolib has only a
// bin and a test.
var diffWorkspace = map[string]string{
	"Cargo.toml": "[workspace]\nmembers = [\"app\", \"dep\", \"pm\", \"bdep\", \"nolib\"]\nresolver = \"2\"\n",
	"app/Cargo.toml": `[package]
name = "app"
version = "0.1.0"
edition = "2021"
[lib]
crate-type = ["cdylib", "rlib"]
[dependencies]
dep = { path = "../dep" }
pm = { path = "../pm" }
[build-dependencies]
bdep = { path = "../bdep" }
`,
	"app/src/lib.rs":       "pub fn a() {}\n",
	"app/src/main.rs":      "fn main() {}\n",
	"app/src/bin/other.rs": "fn main() {}\n",
	"app/examples/ex.rs":   "fn main() {}\n",
	"app/tests/it.rs":      "#[test]\nfn t() {}\n",
	"app/benches/b.rs":     "#[test]\nfn t() {}\n",
	"app/build.rs": printer("cargo::rustc-link-search=/nonexistent/app-ext\n" +
		"  cargo::rustc-link-search=native={OUT}/l2  \n" +
		"cargo::rustc-link-search=native={OUT}/../sib\n" +
		"cargo::rustc-cfg=bad_utf8\xff\n" +
		"cargo:rustc-flags=-l dylib=m -Lnative=/nonexistent/f\n" +
		"cargo::rustc-link-lib=dylib=dl\n" +
		"cargo::rustc-link-arg=-Wl,-rpath,/tag/all\n" +
		"cargo::rustc-link-arg-bins=-Wl,-rpath,/tag/bins\n" +
		"cargo::rustc-link-arg-bin=app=-Wl,-rpath,/tag/bin-app\n" +
		"cargo::rustc-link-arg-tests=-Wl,-rpath,/tag/tests\n" +
		"cargo::rustc-link-arg-benches=-Wl,-rpath,/tag/benches\n" +
		"cargo::rustc-link-arg-examples=-Wl,-rpath,/tag/examples\n" +
		"cargo:rustc-cdylib-link-arg=-Wl,-rpath,/tag/cdylib\n" +
		"cargo::rustc-cfg=app_cfg\r\n" +
		"cargo::rustc-cfg=k=\"v\"\n" +
		"cargo::rustc-check-cfg=cfg(app_cfg)\n" +
		"cargo::rustc-check-cfg=cfg(k, values(\"v\"))\n" +
		"cargo::rustc-env=APPV= x y \u3000\n" +
		"cargo::warning=w1\n"),
	"dep/Cargo.toml": "[package]\nname = \"dep\"\nversion = \"0.1.0\"\nedition = \"2021\"\nlinks = \"my-dep\"\n",
	"dep/src/lib.rs": "pub fn d() {}\n",
	"dep/build.rs": printer("cargo::rustc-link-search=native=/nonexistent/dep-ext\n" +
		"cargo::rustc-link-search=native={OUT}/l2\n" +
		"cargo::rustc-link-lib=dylib=m\n" +
		"cargo::rustc-link-arg=-Wl,-rpath,/tag/dep-all\n" +
		"cargo::rustc-link-arg-cdylib=-Wl,-rpath,/tag/dep-cdylib\n" +
		"cargo::rustc-cfg=dep_cfg\n" +
		"cargo::rustc-check-cfg=cfg(dep_cfg)\n" +
		"cargo::rustc-env=DEPV=1\n" +
		"cargo::metadata=inc-dir=/x/y  \ncargo:Root=/r\ncargo:=empty\n"),
	"pm/Cargo.toml":     "[package]\nname = \"pm\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[lib]\nproc-macro = true\n",
	"pm/src/lib.rs":     "",
	"pm/build.rs":       printer("cargo::rustc-link-search=native=/nonexistent/pm\ncargo::rustc-cfg=pm_cfg\n"),
	"bdep/Cargo.toml":   "[package]\nname = \"bdep\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
	"bdep/src/lib.rs":   "",
	"bdep/build.rs":     printer("cargo::rustc-link-search=/nonexistent/bdep\ncargo::rustc-link-arg=-Wl,-rpath,/tag/bdep-all\n"),
	"nolib/Cargo.toml":  "[package]\nname = \"nolib\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
	"nolib/src/main.rs": "fn main() {}\n",
	"nolib/tests/t.rs":  "#[test]\nfn t() {}\n",
	"nolib/build.rs": printer("cargo::rustc-link-lib=dylib=m\ncargo::rustc-link-arg-bins=-Wl,-rpath,/tag/nolib-bins\n" +
		"cargo::rustc-link-arg-tests=-Wl,-rpath,/tag/nolib-tests\ncargo::rustc-cfg=nolib_cfg\n"),
}

var diffTargets = map[string][]TargetInfo{
	"app": {{Kind: "lib", Name: "app", CrateTypes: []string{"cdylib", "rlib"}}, {Kind: "bin", Name: "app"}, {Kind: "bin", Name: "other"},
		{Kind: "example", Name: "ex", CrateTypes: []string{"bin"}}, {Kind: "test", Name: "it"}, {Kind: "bench", Name: "b"},
		{Kind: "custom-build", Name: "build-script-build"}},
	"dep":   {{Kind: "lib", Name: "dep", CrateTypes: []string{"lib"}}, {Kind: "custom-build", Name: "build-script-build"}},
	"pm":    {{Kind: "proc-macro", Name: "pm", CrateTypes: []string{"proc-macro"}}, {Kind: "custom-build", Name: "build-script-build"}},
	"bdep":  {{Kind: "lib", Name: "bdep", CrateTypes: []string{"lib"}}, {Kind: "custom-build", Name: "build-script-build"}},
	"nolib": {{Kind: "bin", Name: "nolib"}, {Kind: "test", Name: "t"}, {Kind: "custom-build", Name: "build-script-build"}},
}

// TestCargoPropagation builds diffWorkspace with `cargo build -vv --all-targets`
// and checks that Args and DepEnv, given the scripts' parsed outputs, give the
// tail of every rustc command line and the DEP_ variables that Cargo used.
func TestCargoPropagation(t *testing.T) {
	cargo := needTool(t, "cargo")
	dir := t.TempDir()
	writeFiles(t, dir, diffWorkspace)
	stderr, ok := cargoBuild(t, cargo, dir, "--all-targets")
	if !ok {
		t.Fatalf("cargo build failed:\n%s", stderr)
	}
	runs, byPkg := readRuns(t, filepath.Join(dir, "target"))
	onlyRun := func(pkg string) Run {
		if len(byPkg[pkg]) != 1 {
			t.Fatalf("%s ran %d build scripts, want 1", pkg, len(byPkg[pkg]))
		}
		return byPkg[pkg][0]
	}
	checked := map[string]int{}
	for _, c := range runningCommands(stderr) {
		pkg := c.env["CARGO_PKG_NAME"]
		if len(c.argv) > 0 && strings.HasSuffix(c.argv[0], "/build-script-build") && pkg == "app" {
			got := map[string]string{}
			for k, v := range c.env {
				if strings.HasPrefix(k, "DEP_") {
					got[k] = v
				}
			}
			want := map[string]string{}
			for _, e := range onlyRun("dep").Output.DepEnv("my-dep") {
				want[e.Key] = e.Value
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("app's build script got %v, DepEnv gives %v", got, want)
			}
			checked["DEP_"]++
			continue
		}
		if len(c.argv) == 0 || filepath.Base(c.argv[0]) != "rustc" || !slices.Contains(c.argv, "--crate-name") {
			continue
		}
		r := diffReceiver(t, pkg, c.argv)
		var own *Run
		if out := c.env["OUT_DIR"]; out != "" {
			run, ok := runs[out]
			if !ok {
				t.Fatalf("no build script output for OUT_DIR %s", out)
			}
			own = &run
		}
		var deps []Run
		switch {
		case pkg == "app" && r.Kind == "custom-build":
			deps = []Run{onlyRun("bdep")}
		case pkg == "app":
			deps = []Run{onlyRun("dep")} // pm is a proc-macro: nothing goes through it
		}
		args, env := Args(own, r, deps)
		name := pkg + " " + r.Kind + " " + r.Name
		if r.Test {
			name += " --test"
		}
		if len(args) > len(c.argv) || !slices.Equal(c.argv[len(c.argv)-len(args):], args) {
			t.Errorf("%s: rustc command line does not end with\n  %q\ncargo ran\n  %q", name, args, c.argv)
			continue
		}
		for _, a := range c.argv[:len(c.argv)-len(args)] {
			if a == "-l" || strings.Contains(a, "/tag/") || strings.Contains(a, "nonexistent") || strings.HasSuffix(a, "_cfg") || strings.HasSuffix(a, "/l2") {
				t.Errorf("%s: cargo passed %q before the build script arguments: %q", name, a, c.argv)
			}
		}
		for _, e := range env {
			if c.env[e.Key] != e.Value {
				t.Errorf("%s: %s=%q, cargo set %q", name, e.Key, e.Value, c.env[e.Key])
			}
		}
		if _, set := c.env["APPV"]; set != (pkg == "app" && r.Kind != "custom-build") {
			t.Errorf("%s: APPV set=%v", name, set)
		}
		checked[pkg]++
	}
	// app: lib and bins with and without --test, example, test, bench, build
	// script; dep, pm, bdep: lib with and without --test, build script; nolib: bin
	// with and without --test, test, build script.
	want := map[string]int{"app": 10, "dep": 3, "pm": 3, "bdep": 3, "nolib": 4, "DEP_": 1}
	if !reflect.DeepEqual(checked, want) {
		t.Errorf("checked %v command lines, want %v\n%s", checked, want, stderr)
	}
}

// readRuns parses every build script run's stdout in the target directory, by
// OUT_DIR and by package.
func readRuns(t *testing.T, target string) (map[string]Run, map[string][]Run) {
	t.Helper()
	outputs, err := filepath.Glob(filepath.Join(target, "debug", "build", "*", "output"))
	if err != nil {
		t.Fatal(err)
	}
	byOut, byPkg := map[string]Run{}, map[string][]Run{}
	for _, path := range outputs {
		root, err := os.ReadFile(filepath.Join(filepath.Dir(path), "root-output"))
		if err != nil {
			t.Fatal(err)
		}
		pkg := filepath.Base(filepath.Dir(path))
		pkg = pkg[:strings.LastIndex(pkg, "-")]
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		o, err := Parse(f, Options{PackageName: pkg, Targets: diffTargets[pkg]})
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		run := Run{Output: o, OutDir: string(root)}
		byOut[run.OutDir] = run
		byPkg[pkg] = append(byPkg[pkg], run)
	}
	return byOut, byPkg
}

// diffReceiver describes the unit of a rustc command line of diffWorkspace.
func diffReceiver(t *testing.T, pkg string, argv []string) Receiver {
	t.Helper()
	i := slices.IndexFunc(argv, func(a string) bool { return strings.HasSuffix(a, ".rs") })
	if i < 0 {
		t.Fatalf("no source file in %q", argv)
	}
	src := strings.TrimPrefix(argv[i], pkg+"/")
	stem := strings.TrimSuffix(filepath.Base(src), ".rs")
	r := Receiver{Test: slices.Contains(argv, "--test"), PackageHasLib: pkg != "nolib"}
	switch {
	case src == "build.rs":
		r.Kind, r.Name = "custom-build", "build-script-build"
	case src == "src/lib.rs":
		r.Kind, r.Name = "lib", pkg
		r.CrateTypes = diffTargets[pkg][0].CrateTypes
	case src == "src/main.rs":
		r.Kind, r.Name = "bin", pkg
	case strings.HasPrefix(src, "src/bin/"):
		r.Kind, r.Name = "bin", stem
	case strings.HasPrefix(src, "tests/"):
		r.Kind, r.Name = "test", stem
	case strings.HasPrefix(src, "benches/"):
		r.Kind, r.Name = "bench", stem
	case strings.HasPrefix(src, "examples/"):
		r.Kind, r.Name, r.CrateTypes = "example", stem, []string{"bin"}
	default:
		t.Fatalf("unknown source %s", argv[i])
	}
	return r
}
