package plan

import (
	"fmt"
	"slices"
	"sort"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
)

// rustdocJob plans a doc unit (`cargo doc`): rustdoc with Cargo's arguments
// in Cargo's order (cargo: core/compiler/mod.rs, rustdoc), dependencies as
// their checked metadata (.rmeta) and proc-macros, and the pages of
// documented dependencies linked into its output directory (job.Doc).
//
// Cargo documents every crate into one shared target/doc, where each rustdoc
// run merges its crate into the search index and the other cross-crate files.
// A unit's output is its own, so the plan uses rustdoc's mergeable
// cross-crate information instead (RFC 3662; what Cargo's unstable
// -Zrustdoc-mergeable-info does): each unit also writes its parts
// (--parts-out-dir), and the result merges them (job.DocIndex). Those flags
// are unstable: RUSTC_BOOTSTRAP is set to the documented crate's name for
// this rustdoc only.
func (c *planner) rustdocJob(i int, out Out) (*job.Job, error) {
	u := &c.Graph.Units[i]
	pkg := u.Package
	src := c.sourceOf(u)
	if src == "" {
		return nil, fmt.Errorf("no source in the store for package %s", pkg.ID)
	}
	crate := u.Target.CrateName()
	j := &job.Job{Unit: u.String(), Action: job.Rustdoc, Program: c.Toolchain.Rustdoc, Doc: &job.Doc{Crate: crate}}
	srcArg, err := c.sourceArg(u, src, j)
	if err != nil {
		return nil, err
	}
	a := []string{"--edition=" + u.Target.Edition}
	for _, ct := range u.Target.CrateTypes {
		a = append(a, "--crate-type", ct)
	}
	a = append(a, "--crate-name", crate, srcArg)
	if !pkg.IsPath() {
		a = append(a, "--cap-lints", "allow")
	}
	if u.Platform != nil {
		a = append(a, "--target", *u.Platform)
	}
	a = append(a, "-o", job.DocDir(job.Self))
	for _, f := range u.Features {
		a = append(a, "--cfg", fmt.Sprintf("feature=%q", f))
	}
	a = append(a, "--check-cfg", "cfg(docsrs,test)", "--check-cfg", checkCfgFeatures(pkg),
		"--error-format=json", "--json=diagnostic-rendered-ansi,artifacts,future-incompat")
	if m := c.Manifests[pkg.ID]; m != nil {
		a = append(a, m.LintFlags...)
	}
	a = append(a, "-C", "metadata="+c.Hash(i))
	depArgs, env, err := c.depArgs(i, out, j)
	if err != nil {
		return nil, err
	}
	// rustdoc links nothing: no native search paths, only the package's own
	// --cfg and environment from its build script.
	j.LinkSearch = nil
	if j.Own != nil {
		j.Own.Receiver.Doc = true
	}
	j.DepSearchAt = len(a)
	a = append(a, depArgs...)
	if u.Target.HasKind("bin") {
		a = append(a, "--document-private-items", "-Arustdoc::private-intra-doc-links")
	}
	a = append(a, c.Rustdocflags...)
	if !slices.Contains(c.Rustdocflags, "--crate-version") {
		a = append(a, "--crate-version", pkg.Version)
	}
	a = append(a, "-Zunstable-options", "--parts-out-dir="+job.PartsDir(job.Self))
	j.Args = a

	j.Env = c.pkgEnv(pkg, src)
	j.Env["CARGO_CRATE_NAME"] = crate
	if u.Target.HasKind("bin") {
		j.Env["CARGO_BIN_NAME"] = u.Target.Name
	}
	for k, v := range env {
		j.Env[k] = v
	}
	c.addConfigEnv(j.Env)
	j.Env["RUSTC_BOOTSTRAP"] = crate
	if in := c.Native[pkg.Name]; in != nil {
		in.Apply(j.Env)
		j.HostPaths = in.SandboxPaths
	}
	for _, d := range u.Dependencies {
		if c.Graph.Units[d.Index].Mode == "doc" {
			j.Doc.Deps = append(j.Doc.Deps, out(d.Index))
		}
	}
	sort.Strings(j.Doc.Deps)
	j.Doc.Deps = slices.Compact(j.Doc.Deps)
	return j, nil
}

// addDocs puts every documented unit's pages into the result's share/doc, as
// Cargo's target/doc: each crate's directory and sources as links to the
// unit's output, help.html and settings.html of the last documented root (in
// Cargo's shared directory, the last rustdoc run writes them), and the merged
// search index and cross-crate files (job.DocIndex).
func (c *planner) addDocs(p *Plan, j *job.Job, used map[*Node]bool) {
	dir := job.DocDir(job.Self)
	var last *Node
	for _, n := range p.Nodes {
		if n.Unit.Mode != "doc" {
			continue
		}
		ref, crate := OutRef(n.Key), n.Unit.Target.CrateName()
		if j.DocIndex == nil {
			j.DocIndex = &job.DocIndex{Program: c.Toolchain.Rustdoc, Dir: dir,
				Env: map[string]string{"RUSTC_BOOTSTRAP": "1", "PATH": c.Toolchain.Path}}
		}
		j.Copy = append(j.Copy,
			job.Rename{From: job.DocDir(ref) + "/" + crate, To: dir + "/" + crate, Link: true},
			job.Rename{From: job.DocDir(ref) + "/src/" + crate, To: dir + "/src/" + crate, Link: true, Optional: true})
		j.DocIndex.Parts = append(j.DocIndex.Parts, job.PartsDir(ref))
		used[n] = true
		if n.Root {
			last = n
		}
	}
	if last != nil {
		for _, f := range []string{"help.html", "settings.html"} {
			j.Copy = append(j.Copy, job.Rename{From: job.DocDir(OutRef(last.Key)) + "/" + f, To: dir + "/" + f, Optional: true})
		}
	}
}

// DocPages lists the index pages of the documented roots in the result, as
// Cargo's "Generated" line names them: share/doc/<crate>/index.html.
func (p *Plan) DocPages() []string {
	var pages []string
	for _, n := range p.Roots {
		if n.Unit.Mode == "doc" {
			pages = append(pages, "share/doc/"+n.Unit.Target.CrateName()+"/index.html")
		}
	}
	return pages
}
