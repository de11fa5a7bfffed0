package plan

import (
	"fmt"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
)

// doctestRun plans rustdoc --test of doctest unit d, as Cargo's doctest step
// runs it (cargo: ops/cargo_test.rs, run_doc_tests; build_runner/mod.rs, the
// to_doc_test collection): rustdoc compiles every example of the library
// against it and its dependencies and runs each, in the package's directory.
// The arguments are Cargo's, in Cargo's order, except --color, always auto
// (the sandbox is no terminal).
func (c *planner) doctestRun(d *Node, nodes []*Node) (*Node, error) {
	u := d.Unit
	pkg := u.Package
	s := c.source(u)
	if s == nil {
		return nil, fmt.Errorf("no source in the store for package %s", pkg.ID)
	}
	src := SourceRef(s.Name)
	j := &job.Job{Unit: u.String(), Action: job.RunTest, Program: c.Toolchain.Rustdoc}
	srcArg, err := c.sourceArg(u, src, j)
	if err != nil {
		return nil, err
	}
	a := []string{"--edition=" + u.Target.Edition}
	for _, ct := range u.Target.CrateTypes {
		a = append(a, "--crate-type", ct)
	}
	a = append(a, "--color", "auto", "--crate-name", u.Target.CrateName(), "--test", srcArg, "--test-run-directory", src)
	if u.Platform != nil {
		a = append(a, "--target", *u.Platform)
	}
	if l := c.linker(u); l != "" {
		a = append(a, "-C", "linker="+l)
	}
	if p := u.Profile.Panic; p != "" && p != "unwind" {
		a = append(a, "-C", "panic="+p)
	}
	args := &job.DoctestArgs{NativeAt: len(a)}
	for _, t := range c.Test.Args {
		a = append(a, "--test-args", t)
	}
	if c.Test.Quiet {
		a = append(a, "--test-args", "--quiet")
	}
	if m := c.Manifests[pkg.ID]; m != nil {
		a = append(a, m.LintFlags...)
	}
	used := map[int]bool{}
	out := func(dep int) string { used[dep] = true; return OutRef(nodes[dep].Key) }
	externs, env, err := c.depArgs(d.Index, out, j)
	if err != nil {
		return nil, err
	}
	a = append(a, externs...)
	j.DepSearchAt = len(a) // -L dependency= follows the externs here
	a = append(a, c.ltoArgs(d.Index)...)
	for _, f := range u.Features {
		a = append(a, "--cfg", fmt.Sprintf("feature=%q", f))
	}
	a = append(a, "--check-cfg", "cfg(docsrs,test)", "--check-cfg", checkCfgFeatures(pkg))
	args.DirectivesAt = len(a)
	a = append(a, c.Rustdocflags...)
	a = append(a, "--error-format", "human")
	j.Args, j.Doctest = a, args

	j.Env = c.pkgEnv(pkg, src)
	j.Env["CARGO_CRATE_NAME"] = u.Target.CrateName()
	for k, v := range env {
		j.Env[k] = v
	}
	c.addConfigEnv(j.Env)
	n := &Node{Key: d.Key, Name: d.Name, Unit: u, Index: d.Index, Hash: d.Hash, Job: j,
		Deps: depNodes(nodes, used), Source: s,
		Run: &Run{What: u.Target.Name, Rerun: c.rerun(u, true), Doctest: true, Harness: true}}
	c.applyNative(n)
	return n, nil
}
