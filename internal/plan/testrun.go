package plan

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/buildscript"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// Test runs. `cargo test` runs every test executable it built, then every
// selected library's doctests (cargo: ops/cargo_test.rs, run_tests). Each run
// here is a node of its own whose derivation runs the executable (or rustdoc
// --test) in the sandbox, the way Cargo runs it, and keeps what it printed: a
// run whose inputs did not change is not run again.

// Run is what a test-run node is to Cargo.
type Run struct {
	// What is how Cargo's `Running` line names an executable: "unittests
	// src/lib.rs", "tests/it.rs"; for doctests the library target's name
	// (`Doc-tests greeter`).
	What string
	// Rerun is what Cargo's hint tells to pass to run only this again:
	// "--lib", "-p greeter --test it", "--doc".
	Rerun string
	// Test is the unit whose executable runs; nil for doctests, whose node's
	// Unit is the doctest unit.
	Test *Node
	// Doctest marks rustdoc --test of a library.
	Doctest bool
	// Harness reports libtest's harness (not harness = false).
	Harness bool
	// OnHost runs the executable on the host when the tests run, outside the
	// sandbox and uncached (--on-host, or the package's on-host list); the
	// node gets no derivation.
	OnHost bool
}

// runs plans the test runs of p: one per test executable among the roots, in
// Cargo's order, then one per doctest unit (doctests are given by their units).
func (c *planner) runs(p *Plan, doctests []*Node, nodes []*Node) ([]*Node, error) {
	if err := c.checkOnHost(); err != nil {
		return nil, err
	}
	tests := p.Tests()
	sort.SliceStable(doctests, func(a, b int) bool { return runsBefore(doctests[a].Unit, doctests[b].Unit) })
	var runs []*Node
	for _, t := range tests {
		r, err := c.testRun(t, nodes)
		if err != nil {
			return nil, fmt.Errorf("unit %s: %w", t, err)
		}
		runs = append(runs, r)
	}
	for _, d := range doctests {
		r, err := c.doctestRun(d, nodes)
		if err != nil {
			return nil, fmt.Errorf("unit %s: %w", d, err)
		}
		runs = append(runs, r)
	}
	return runs, nil
}

// Tests lists the roots that are test executables, in the order Cargo runs them.
func (p *Plan) Tests() []*Node {
	var tests []*Node
	for _, n := range p.Roots {
		if n.Unit.Mode == "test" || n.Unit.Mode == "bench" {
			tests = append(tests, n)
		}
	}
	sort.SliceStable(tests, func(a, b int) bool { return runsBefore(tests[a].Unit, tests[b].Unit) })
	return tests
}

// runsBefore is Cargo's order of test units (cargo: Unit's Ord): by package
// name, version and id, then the lib, bins, integration tests, benches and
// examples, each by name.
func runsBefore(a, b *unitgraph.Unit) bool {
	pa, pb := a.Package, b.Package
	if pa.Name != pb.Name {
		return pa.Name < pb.Name
	}
	if cmp := compareVersions(pa.Version, pb.Version); cmp != 0 {
		return cmp < 0
	}
	if pa.ID != pb.ID {
		return pa.ID < pb.ID
	}
	if ra, rb := targetRank(a.Target), targetRank(b.Target); ra != rb {
		return ra < rb
	}
	return a.Target.Name < b.Target.Name
}

func targetRank(t unitgraph.Target) int {
	switch {
	case t.IsLib():
		return 0
	case t.HasKind("bin"):
		return 1
	case t.HasKind("test"):
		return 2
	case t.HasKind("bench"):
		return 3
	}
	return 4
}

// testRun plans the run of test unit t's executable as Cargo runs it (cargo:
// compilation.rs, target_process and fill_env; ops/cargo_test.rs,
// cmd_builds): in the package's directory, with its CARGO_PKG_* variables,
// CARGO_BIN_EXE_<name> for its binaries, its build script's OUT_DIR and
// rustc-env pairs (the builder reads those from Own), the standard library on
// the dynamic library path, Cargo's [env], and the arguments after --.
func (c *planner) testRun(t *Node, nodes []*Node) (*Node, error) {
	u := t.Unit
	pkg := u.Package
	s := c.source(u)
	if s == nil {
		return nil, fmt.Errorf("no source in the store for package %s", pkg.ID)
	}
	src := SourceRef(s.Name)
	run := &Run{What: RunDescription(u), Rerun: c.rerun(u, false), Test: t, Harness: !c.noHarness(u),
		OnHost: c.Test.OnHost || c.onHost(u)}
	j := &job.Job{Unit: u.String(), Action: job.RunTest, Program: OutRef(t.Key) + "/bin/" + u.Target.Name, Dir: src}
	j.Args = append([]string{}, c.Test.Args...)
	if c.Test.Quiet && run.Harness {
		j.Args = append(j.Args, "--quiet")
	}
	j.Env = c.pkgEnv(pkg, src)
	// Proc-macro tests link the standard library dynamically. rustc is
	// <sysroot>/bin/rustc, on the host or in the store.
	sysroot := filepath.Dir(filepath.Dir(c.Toolchain.Rustc))
	j.Env["LD_LIBRARY_PATH"] = filepath.Join(sysroot, "lib", "rustlib", c.triple(u), "lib") + ":" + filepath.Join(sysroot, "lib")
	deps := map[int]bool{t.Index: true}
	for _, d := range u.Dependencies {
		du := &c.Graph.Units[d.Index]
		switch {
		case du.IsBuildScriptRun():
			j.Own = &job.OwnDirectives{Run: OutRef(nodes[d.Index].Key), Receiver: unitReceiver(u)}
			deps[d.Index] = true
		case (u.Target.HasKind("test") || u.Target.HasKind("bench")) && du.Target.HasKind("bin") && !du.Target.IsLib():
			j.Env["CARGO_BIN_EXE_"+du.Target.Name] = OutRef(nodes[d.Index].Key) + "/bin/" + du.Target.Name
			deps[d.Index] = true
		}
	}
	c.addConfigEnv(j.Env)
	n := &Node{Key: t.Key + "@run", Name: t.Name + "-run", Unit: u, Index: t.Index, Hash: t.Hash, Job: j,
		Deps: depNodes(nodes, deps), Source: s, Run: run}
	c.applyNative(n)
	return n, nil
}

// applyNative gives a run the native inputs declared for its package, as its
// units have them: a test may run the tools its build needed.
func (c *planner) applyNative(n *Node) {
	if in := c.Native[n.Unit.Package.Name]; in != nil {
		in.Apply(n.Job.Env)
		n.Job.HostPaths = in.SandboxPaths
		n.Store = in.Store
	}
}

// RunDescription is how Cargo's Running line names a test executable (cargo:
// ops/cargo_test.rs, cmd_builds).
func RunDescription(u *unitgraph.Unit) string {
	src, err := filepath.Rel(u.Package.Dir(), u.Target.SrcPath)
	if err != nil {
		src = u.Target.SrcPath
	}
	src = filepath.ToSlash(src)
	if u.Target.HasKind("test") || u.Target.HasKind("bench") {
		return src
	}
	return "unittests " + src
}

// rerun is what Cargo tells to pass to run a failed unit's tests again
// (cargo: ops/cargo_test.rs, UnitTestError::cli_args): the package only when
// the user named packages or the workspace has several default members.
func (c *planner) rerun(u *unitgraph.Unit, doctest bool) string {
	args := ""
	if c.Test.Packages || c.defaultMembers() > 1 {
		args = "-p " + u.Package.Name + " "
	}
	t := u.Target
	switch {
	case doctest:
		return args + "--doc"
	case t.IsLib():
		return args + "--lib"
	case t.HasKind("bin"):
		return args + "--bin " + t.Name
	case t.HasKind("test"):
		return args + "--test " + t.Name
	case t.HasKind("bench"):
		return args + "--bench " + t.Name
	}
	return args + "--example " + t.Name
}

func (c *planner) defaultMembers() int {
	ws := c.Graph.Workspace
	if ws.WorkspaceDefaultMembers != nil {
		return len(ws.WorkspaceDefaultMembers)
	}
	return len(ws.WorkspaceMembers)
}

// onHost reports a test target its package lists in on-host.
func (c *planner) onHost(u *unitgraph.Unit) bool {
	in := c.Native[u.Package.Name]
	return in != nil && slices.Contains(in.OnHost, u.Target.Name)
}

// checkOnHost refuses on-host names that are no test target of their package.
func (c *planner) checkOnHost() error {
	seen := map[string]bool{}
	for _, u := range c.Graph.Units {
		pkg := u.Package
		in := c.Native[pkg.Name]
		if in == nil || seen[pkg.ID] {
			continue
		}
		seen[pkg.ID] = true
		for _, name := range in.OnHost {
			if !slices.ContainsFunc(pkg.Targets, func(t unitgraph.Target) bool {
				return t.Name == name && !t.HasKind("custom-build")
			}) {
				return fmt.Errorf("%s: [package.metadata.nix-unit] (or nix-unit.toml) on-host: package %s has no target %q whose tests could run on the host",
					pkg.ManifestPath, pkg.Name, name)
			}
		}
	}
	return nil
}

// triple is the unit's target triple, the host's for host units.
func (c *planner) triple(u *unitgraph.Unit) string {
	if u.Platform != nil {
		return *u.Platform
	}
	return c.Toolchain.Host
}

// unitReceiver describes u to its build script's directives, as depArgs does.
func unitReceiver(u *unitgraph.Unit) buildscript.Receiver {
	return buildscript.Receiver{Kind: receiverKind(u), Name: u.Target.Name, CrateTypes: u.Target.CrateTypes,
		Test: rustcTest(u), PackageHasLib: u.Package.HasLib()}
}
