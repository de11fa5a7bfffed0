package engine

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// TestRun is one test executable of a build, as `cargo test` runs it.
type TestRun struct {
	Unit string // "greeter v0.2.1 (lib-test greeter)"
	// What is Cargo's description: "unittests src/lib.rs" or "tests/it.rs".
	What string
	Exe  string // the executable in the result
	Dir  string // the package directory: the tests' working directory
	Env  []string
	// Selector is what `cargo test` needs to run only this executable: "-p greeter --lib".
	Selector string
}

// TestRuns lists the result's test executables in Cargo's order: by package,
// then unit tests of the lib, of bins, integration tests, benches, each by name.
func (p *Plan) TestRuns(result string) []TestRun {
	var idx []int
	for _, r := range p.Graph.Roots {
		if u := &p.Graph.Units[r]; u.Mode == "test" || u.Mode == "bench" {
			idx = append(idx, r)
		}
	}
	rank := func(u *unitgraph.Unit) int {
		switch {
		case u.Target.IsLib():
			return 0
		case u.Target.HasKind("bin"):
			return 1
		case u.Target.HasKind("test"):
			return 2
		case u.Target.HasKind("bench"):
			return 3
		}
		return 4
	}
	sort.SliceStable(idx, func(a, b int) bool {
		ua, ub := &p.Graph.Units[idx[a]], &p.Graph.Units[idx[b]]
		if ua.Package.Name != ub.Package.Name {
			return ua.Package.Name < ub.Package.Name
		}
		if rank(ua) != rank(ub) {
			return rank(ua) < rank(ub)
		}
		return ua.Target.Name < ub.Target.Name
	})
	var runs []TestRun
	for _, i := range idx {
		u := &p.Graph.Units[i]
		pkg := u.Package
		src, err := filepath.Rel(pkg.Dir(), u.Target.SrcPath)
		if err != nil {
			src = u.Target.SrcPath
		}
		run := TestRun{Unit: u.String(), Exe: filepath.Join(result, testPath(p, i)), Dir: pkg.Dir(), What: src}
		switch {
		case u.Target.IsLib():
			run.What, run.Selector = "unittests "+src, "-p "+pkg.Name+" --lib"
		case u.Target.HasKind("bin"):
			run.What, run.Selector = "unittests "+src, "-p "+pkg.Name+" --bin "+u.Target.Name
		case u.Target.HasKind("bench"):
			run.Selector = "-p " + pkg.Name + " --bench " + u.Target.Name
		default:
			run.Selector = "-p " + pkg.Name + " --test " + u.Target.Name
		}
		run.Env = []string{
			"CARGO_MANIFEST_DIR=" + pkg.Dir(),
			"CARGO_MANIFEST_PATH=" + pkg.ManifestPath,
			"CARGO_PKG_NAME=" + pkg.Name,
			"CARGO_PKG_VERSION=" + pkg.Version,
			"CARGO_CRATE_NAME=" + u.Target.CrateName(),
			"CARGO=" + p.Toolchain.Cargo,
			// Proc-macro tests link libstd dynamically (cargo: compilation.rs,
			// fill_env adds the sysroot's target libdir to the dylib path).
			"LD_LIBRARY_PATH=" + dylibPath(filepath.Join(p.Toolchain.Sysroot, "lib", "rustlib", p.Toolchain.Host, "lib"), filepath.Join(p.Toolchain.Sysroot, "lib")),
		}
		runs = append(runs, run)
	}
	return runs
}

// dylibPath puts dirs before the inherited LD_LIBRARY_PATH.
func dylibPath(dirs ...string) string {
	if old := os.Getenv("LD_LIBRARY_PATH"); old != "" {
		dirs = append(dirs, old)
	}
	return strings.Join(dirs, ":")
}
