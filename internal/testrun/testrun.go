// Package testrun runs a build's test executables on the host as `cargo test`
// does: in Cargo's order, in each package's directory, with Cargo's
// environment, fail-fast unless asked otherwise.
package testrun

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/report"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/run"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// Run is one test executable of a build, as `cargo test` runs it.
type Run struct {
	Unit string // "greeter v0.2.1 (lib-test greeter)"
	// What is Cargo's description: "unittests src/lib.rs" or "tests/it.rs".
	What string
	Exe  string // the executable in the result
	Dir  string // the package directory: the tests' working directory
	Env  []string
	// Selector is what `cargo test` needs to run only this executable: "-p greeter --lib".
	Selector string
}

// Toolchain is where the test executables' runtime libraries live.
type Toolchain struct {
	Sysroot, Host, Cargo string
}

// Runs lists the result's test executables in Cargo's order: by package,
// then unit tests of the lib, of bins, integration tests, benches, each by name.
func Runs(p *plan.Plan, result string, tc Toolchain) []Run {
	var nodes []*plan.Node
	for _, n := range p.Roots {
		if u := n.Unit; u.Mode == "test" || u.Mode == "bench" {
			nodes = append(nodes, n)
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
	sort.SliceStable(nodes, func(a, b int) bool {
		ua, ub := nodes[a].Unit, nodes[b].Unit
		if ua.Package.Name != ub.Package.Name {
			return ua.Package.Name < ub.Package.Name
		}
		if rank(ua) != rank(ub) {
			return rank(ua) < rank(ub)
		}
		return ua.Target.Name < ub.Target.Name
	})
	var runs []Run
	for _, n := range nodes {
		u := n.Unit
		pkg := u.Package
		src, err := filepath.Rel(pkg.Dir(), u.Target.SrcPath)
		if err != nil {
			src = u.Target.SrcPath
		}
		r := Run{Unit: u.String(), Exe: filepath.Join(result, plan.TestPath(n)), Dir: pkg.Dir(), What: src}
		switch {
		case u.Target.IsLib():
			r.What, r.Selector = "unittests "+src, "-p "+pkg.Name+" --lib"
		case u.Target.HasKind("bin"):
			r.What, r.Selector = "unittests "+src, "-p "+pkg.Name+" --bin "+u.Target.Name
		case u.Target.HasKind("bench"):
			r.Selector = "-p " + pkg.Name + " --bench " + u.Target.Name
		default:
			r.Selector = "-p " + pkg.Name + " --test " + u.Target.Name
		}
		r.Env = []string{
			"CARGO_MANIFEST_DIR=" + pkg.Dir(),
			"CARGO_MANIFEST_PATH=" + pkg.ManifestPath,
			"CARGO_PKG_NAME=" + pkg.Name,
			"CARGO_PKG_VERSION=" + pkg.Version,
			"CARGO_CRATE_NAME=" + u.Target.CrateName(),
			"CARGO=" + tc.Cargo,
			// Proc-macro tests link libstd dynamically (cargo: compilation.rs,
			// fill_env adds the sysroot's target libdir to the dylib path).
			"LD_LIBRARY_PATH=" + dylibPath(filepath.Join(tc.Sysroot, "lib", "rustlib", tc.Host, "lib"), filepath.Join(tc.Sysroot, "lib")),
		}
		runs = append(runs, r)
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

// All runs the test executables in order with args, their output going to
// stdout and stderr; after the first failure only with noFailFast. A failure
// is a *report.BuildError with Cargo's hint for rerunning each failed one.
func All(ctx context.Context, runs []Run, args []string, noFailFast bool, pr *report.Printer, stdout, stderr io.Writer) error {
	if len(runs) == 0 {
		pr.Warning("no test executables were selected")
		return nil
	}
	var failed []Run
	for _, t := range runs {
		pr.Status("Running", fmt.Sprintf("%s (%s)", t.What, t.Exe))
		cmd := run.Command(ctx, run.Cmd{Dir: t.Dir, Env: t.Env, Args: append([]string{t.Exe}, args...)}, 0)
		cmd.Stdout, cmd.Stderr = stdout, stderr
		if err := cmd.Run(); err != nil {
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				return fmt.Errorf("unit %s: running %s: %w", t.Unit, t.Exe, err)
			}
			failed = append(failed, t)
			if !noFailFast {
				break
			}
		}
	}
	if len(failed) == 0 {
		return nil
	}
	var msg []string
	for _, t := range failed {
		msg = append(msg, fmt.Sprintf("test failed, to rerun pass `%s`", t.Selector))
	}
	return &report.BuildError{Msg: strings.Join(msg, "\n")}
}
