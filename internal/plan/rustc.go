package plan

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/buildscript"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// TargetTmpdir is CARGO_TARGET_TMPDIR for integration tests and benches.
const TargetTmpdir = "/tmp"

// Out returns the store path (or placeholder) of a dependency unit's output.
type Out func(dep int) string

// Job plans unit i. Dependencies are referred to through out.
func (c *planner) Job(i int, out Out) (*job.Job, error) {
	u := &c.Graph.Units[i]
	var (
		j   *job.Job
		err error
	)
	switch {
	case u.IsBuildScriptRun():
		j, err = c.runJob(i, out)
	case u.Mode == "build" || u.Mode == "test" || u.Mode == "check":
		j, err = c.rustcJob(i, out)
	case u.Mode == "doc":
		j, err = c.rustdocJob(i, out)
	default:
		err = fmt.Errorf("mode %q is not supported", u.Mode)
	}
	if err != nil {
		return nil, fmt.Errorf("unit %s: %w", u, err)
	}
	c.wrapClippy(u, j)
	return j, nil
}

// outDir is where rustc writes a unit's files inside its output.
func outDir(u *unitgraph.Unit) string {
	if u.Target.IsLib() && u.Mode != "test" && !u.CheckTest {
		return job.Self + "/lib"
	}
	return job.Self + "/bin"
}

// ExtraFilename is the suffix of unit i's file names (-C extra-filename).
func (c *planner) ExtraFilename(i int) string {
	return extraFilename(&c.Graph.Units[i], c.Hash(i))
}

// ExtraFilename is the suffix of n's file names (-C extra-filename).
func (n *Node) ExtraFilename() string { return extraFilename(n.Unit, n.Hash) }

// extraFilename is "-<hash>", but nothing for the dylib and cdylib targets of
// path packages, whose files Cargo names plainly unless tested or checked
// (cargo: build_runner/compilation_files.rs, should_use_metadata; the Windows
// and Emscripten cases are not handled).
func extraFilename(u *unitgraph.Unit, hash string) string {
	if u.Package.IsPath() && u.Mode != "test" && u.Mode != "check" && u.Target.IsLib() &&
		(has(u.Target.CrateTypes, "dylib") || has(u.Target.CrateTypes, "cdylib")) {
		return ""
	}
	return "-" + hash
}

// libFile is the file a dependent passes to --extern: a checked library's
// metadata, or the compiled library.
func libFile(u *unitgraph.Unit, extra string, out string) (string, bool) {
	stem := "lib" + u.Target.CrateName() + extra
	for _, ct := range u.Target.CrateTypes {
		switch {
		case u.Mode == "check" && (ct == "lib" || ct == "rlib" || ct == "dylib"):
			return out + "/lib/" + stem + ".rmeta", true
		case ct == "lib" || ct == "rlib":
			return out + "/lib/" + stem + ".rlib", true
		case ct == "proc-macro" || ct == "dylib":
			return out + "/lib/" + stem + ".so", true
		}
	}
	return "", false
}

// sourceArg is the source file as Cargo names it to rustc and rustdoc, and
// sets j's working directory to match. Cargo runs them in the workspace root
// with a relative source path for path packages inside the workspace (so
// file!() and panics read "app/src/main.rs"), and in the package root with an
// absolute path otherwise.
func (c *planner) sourceArg(u *unitgraph.Unit, src string, j *job.Job) (string, error) {
	pkg := u.Package
	relSrc, err := filepath.Rel(pkg.Dir(), u.Target.SrcPath)
	if err != nil || strings.HasPrefix(relSrc, "..") {
		return "", fmt.Errorf("source file %s is outside the package directory %s", u.Target.SrcPath, pkg.Dir())
	}
	srcArg := src + "/" + relSrc
	j.Dir = src
	if pkg.IsPath() {
		relPkg, err := filepath.Rel(c.Graph.Workspace.WorkspaceRoot, pkg.Dir())
		if err == nil && !strings.HasPrefix(relPkg, "..") {
			// rustc records its current directory (debug info, metadata): a
			// directory of the sandbox, never the source's store path, keeps a
			// path package's output the same when another of its files changes.
			j.Dir = "ws"
			srcArg = relSrc
			j.Links = []job.Link{{Path: "ws", Target: src, Entries: true}}
			if relPkg != "." {
				j.Links = []job.Link{{Path: "ws/" + relPkg, Target: src}}
				srcArg = relPkg + "/" + relSrc
			}
		}
	}
	return srcArg, nil
}

func (c *planner) rustcJob(i int, out Out) (*job.Job, error) {
	u := &c.Graph.Units[i]
	pkg := u.Package
	tc := c.Toolchain
	hash := c.Hash(i)
	src := c.sourceOf(u)
	if src == "" {
		return nil, fmt.Errorf("no source in the store for package %s", pkg.ID)
	}
	j := &job.Job{Unit: u.String(), Action: job.Rustc, Program: tc.Rustc}
	srcArg, err := c.sourceArg(u, src, j)
	if err != nil {
		return nil, err
	}

	a := []string{"--crate-name", u.Target.CrateName(), "--edition=" + u.Target.Edition, srcArg,
		"--error-format=json", "--json=diagnostic-rendered-ansi,artifacts,future-incompat"}
	if !rustcTest(u) {
		for _, ct := range u.Target.CrateTypes {
			a = append(a, "--crate-type", ct)
		}
	}
	a = append(a, "--emit="+emit(u))
	// cargo: core/compiler/mod.rs, build_base_args: proc-macros, and dylibs the
	// user did not select (a selected dylib links std statically).
	if u.IsProcMacro() || (has(u.Target.CrateTypes, "dylib") && !c.Primary[pkg.ID]) {
		a = append(a, "-C", "prefer-dynamic")
	}
	codegen, checks := profileArgs(u, c.ltoArgs(i))
	a = append(a, codegen...)
	if m := c.Manifests[pkg.ID]; m != nil {
		a = append(a, m.LintFlags...)
	}
	a = append(a, checks...)
	if rustcTest(u) {
		if c.noHarness(u) {
			a = append(a, "--cfg", "test")
		} else {
			a = append(a, "--test")
		}
	}
	for _, f := range u.Features {
		a = append(a, "--cfg", fmt.Sprintf("feature=%q", f))
	}
	a = append(a, "--check-cfg", "cfg(docsrs,test)", "--check-cfg", checkCfgFeatures(pkg))
	a = append(a, "-C", "metadata="+hash)
	extra := c.ExtraFilename(i)
	if extra != "" {
		a = append(a, "-C", "extra-filename="+extra)
	}
	if u.Profile.Rpath {
		a = append(a, "-C", "rpath")
	}
	a = append(a, "--out-dir", outDir(u))
	if u.Platform != nil {
		a = append(a, "--target", *u.Platform)
	}
	if l := c.linker(u); l != "" {
		a = append(a, "-C", "linker="+l)
	}
	if dir := c.IncrementalDir(i); dir != "" {
		a = append(a, "-C", "incremental="+dir)
		j.Incremental = dir
	}
	if u.Profile.Strip != "" && u.Profile.Strip != "none" {
		a = append(a, "-C", "strip="+string(u.Profile.Strip))
	}
	depArgs, env, err := c.depArgs(i, out, j)
	if err != nil {
		return nil, err
	}
	j.DepSearchAt = len(a) // the -L dependency= flags go before the externs
	a = append(a, depArgs...)
	if !pkg.IsPath() {
		a = append(a, "--cap-lints", "allow")
	}
	a = append(a, c.unitRustflags(u)...)
	j.Args = a

	j.Env = c.pkgEnv(pkg, src)
	j.Env["CARGO_CRATE_NAME"] = u.Target.CrateName()
	if u.Target.HasKind("bin") || u.Target.HasKind("example") {
		j.Env["CARGO_BIN_NAME"] = u.Target.Name
	}
	if c.Primary[pkg.ID] {
		j.Env["CARGO_PRIMARY_PACKAGE"] = "1"
	}
	// Integration tests and benches get a scratch directory baked in with env!;
	// Cargo's is <target>/tmp, which does not exist where a derivation's test runs.
	if u.Target.HasKind("test") || u.Target.HasKind("bench") {
		j.Env["CARGO_TARGET_TMPDIR"] = TargetTmpdir
		if u.Mode == "check" {
			// No binary is built, but env!("CARGO_BIN_EXE_<name>") must compile
			// (cargo: core/compiler/mod.rs, prepare_rustc).
			for _, t := range pkg.Targets {
				if t.HasKind("bin") {
					j.Env["CARGO_BIN_EXE_"+t.Name] = "placeholder:" + t.Name
				}
			}
		}
	}
	for k, v := range env {
		j.Env[k] = v
	}
	c.addConfigEnv(j.Env)
	if in := c.Native[pkg.Name]; in != nil {
		in.Apply(j.Env)
		j.HostPaths = in.SandboxPaths
	}

	// Executables lose Cargo's hash suffix: each unit has its own output. A
	// check writes metadata only.
	if (!u.Target.IsLib() || u.Mode == "test") && u.Mode != "check" {
		// A build script keeps its target's name, as Cargo's binary does:
		// build-script-build, or build-script-main for build/main.rs.
		j.Rename = []job.Rename{{From: outDir(u) + "/" + u.Target.CrateName() + extra, To: job.Self + "/bin/" + u.Target.Name}}
	}
	return j, nil
}

// depArgs returns -L dependency=, --extern and the env that dependencies give
// (OUT_DIR from the package's build-script run, CARGO_BIN_EXE_* for tests), and
// fills j.Own and j.LinkSearch.
func (c *planner) depArgs(i int, out Out, j *job.Job) ([]string, map[string]string, error) {
	u := &c.Graph.Units[i]
	env := map[string]string{}
	type ext struct{ name, path string }
	var externs []ext
	for _, d := range u.Dependencies {
		du := &c.Graph.Units[d.Index]
		switch {
		case du.Mode == "doc":
			continue // a documented dependency's pages, not a crate (rustdocJob)
		case du.IsBuildScriptRun():
			run := out(d.Index)
			env["OUT_DIR"] = job.OutDir(run)
			j.Own = &job.OwnDirectives{Run: run, Receiver: buildscript.Receiver{
				Kind: receiverKind(u), Name: u.Target.Name, CrateTypes: u.Target.CrateTypes,
				Test: rustcTest(u), PackageHasLib: u.Package.HasLib(),
			}}
		case du.Target.HasKind("bin") && !du.Target.IsLib():
			env["CARGO_BIN_EXE_"+du.Target.Name] = out(d.Index) + "/bin/" + du.Target.Name
		case du.Target.IsLib():
			p, ok := libFile(du, c.ExtraFilename(d.Index), out(d.Index))
			if !ok {
				continue // cdylib/staticlib-only libraries are not Rust dependencies
			}
			externs = append(externs, ext{d.ExternCrateName, p})
		}
	}
	var a []string
	j.DepSearch = c.directLibOutputs(i, out)
	j.ExportDeps = u.Target.IsLib() && (u.Mode == "build" || u.Mode == "check")
	// The unit graph lists dependencies in Cargo's order (UnitDep's: by the
	// dependency's unit, so by package), which is also the order of --extern.
	for _, e := range externs {
		a = append(a, "--extern", e.name+"="+e.path)
	}
	if u.IsProcMacro() {
		a = append(a, "--extern", "proc_macro")
	}
	j.LinkSearch = c.linkSearchRuns(i, out)
	return a, env, nil
}

// directLibOutputs lists the outputs of the unit's direct library dependencies.
// rustc resolves indirect crates through -L dependency=, one directory per
// transitive library; the builder finds those through each output's deps/
// links (see job.Job.DepSearch), so a derivation's inputs and arguments grow
// with its direct dependencies only.
func (c *planner) directLibOutputs(i int, out Out) []string {
	var outs []string
	for _, d := range c.Graph.Units[i].Dependencies {
		du := &c.Graph.Units[d.Index]
		if du.Target.IsLib() && !du.IsBuildScriptRun() && du.Mode != "doc" {
			outs = append(outs, out(d.Index))
		}
	}
	sort.Strings(outs)
	return slices.Compact(outs)
}

// linkSearchRuns lists the build-script runs of dependencies reachable through
// linkable edges, whose rustc-link-search paths and cdylib link arguments Cargo
// passes on to this unit (cargo: custom_build.rs, build_map). Proc-macros and
// build scripts are not linked into this unit, so the walk does not go through
// them. The order is Cargo's: depth first, each unit's direct dependencies sorted
// by package id, a dependency's own run before those of its dependencies.
func (c *planner) linkSearchRuns(i int, out Out) []string {
	seen := map[int]bool{}
	var runs []string
	var walk func(int)
	walk = func(k int) {
		for _, d := range c.sortedDeps(k) {
			du := &c.Graph.Units[d]
			if seen[d] || !du.Target.IsLib() || du.IsProcMacro() {
				continue
			}
			seen[d] = true
			for _, dd := range du.Dependencies {
				if c.Graph.Units[dd.Index].IsBuildScriptRun() {
					runs = append(runs, out(dd.Index))
				}
			}
			walk(d)
		}
	}
	walk(i)
	return runs
}

// sortedDeps returns unit k's dependencies ordered by package id the way Cargo
// orders PackageId: name, then version, then source.
func (c *planner) sortedDeps(k int) []int {
	var deps []int
	for _, d := range c.Graph.Units[k].Dependencies {
		deps = append(deps, d.Index)
	}
	sort.SliceStable(deps, func(a, b int) bool {
		pa, pb := c.Graph.Units[deps[a]].Package, c.Graph.Units[deps[b]].Package
		if pa.Name != pb.Name {
			return pa.Name < pb.Name
		}
		if cmp := compareVersions(pa.Version, pb.Version); cmp != 0 {
			return cmp < 0
		}
		return pa.ID < pb.ID
	})
	return deps
}

// compareVersions compares semver versions by their numeric core, then with a
// pre-release sorting before the release.
func compareVersions(a, b string) int {
	amaj, amin, apat, apre := splitVersion(a)
	bmaj, bmin, bpat, bpre := splitVersion(b)
	for _, pair := range [][2]string{{amaj, bmaj}, {amin, bmin}, {apat, bpat}} {
		x, _ := strconv.ParseUint(pair[0], 10, 64)
		y, _ := strconv.ParseUint(pair[1], 10, 64)
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	switch {
	case apre == bpre:
		return 0
	case apre == "":
		return 1
	case bpre == "":
		return -1
	}
	return strings.Compare(apre, bpre)
}

func receiverKind(u *unitgraph.Unit) string {
	switch {
	case u.IsBuildScriptCompile():
		return "custom-build"
	case u.Target.IsLib():
		return "lib"
	case len(u.Target.Kind) > 0:
		return u.Target.Kind[0]
	}
	return ""
}

func emit(u *unitgraph.Unit) string {
	switch {
	case u.Mode == "check":
		return "dep-info,metadata"
	case u.Mode == "build" && !requiresUpstreamObjects(u):
		return "dep-info,metadata,link"
	}
	return "dep-info,link"
}

// requiresUpstreamObjects reports units that link their dependencies' object
// code, so no dependent can start from their metadata (cargo: core/compiler/unit.rs).
func requiresUpstreamObjects(u *unitgraph.Unit) bool {
	if !u.Target.IsLib() || u.IsProcMacro() || u.Target.HasKind("custom-build") {
		return true
	}
	for _, t := range u.Target.CrateTypes {
		if t != "lib" && t != "rlib" {
			return true
		}
	}
	return false
}

// rustcTest reports a unit compiled with --test (or --cfg test without a
// harness): mode test, and the checks of tests.
func rustcTest(u *unitgraph.Unit) bool { return u.Mode == "test" || u.CheckTest }

// noHarness reports a test unit of a target with harness = false.
func (c *planner) noHarness(u *unitgraph.Unit) bool {
	m := c.Manifests[u.PkgID]
	if m == nil {
		return false
	}
	if u.Target.IsLib() {
		return m.NoHarness["lib:"+u.Target.CrateName()]
	}
	return len(u.Target.Kind) > 0 && m.NoHarness[u.Target.Kind[0]+":"+u.Target.Name]
}

// profileArgs mirrors cargo: core/compiler/mod.rs, build_base_args: the
// codegen flags that come before the package's lints, and the debug-assertions
// and overflow-checks flags that come after them.
func profileArgs(u *unitgraph.Unit, lto []string) (codegen, checks []string) {
	p := u.Profile
	var a []string
	if p.OptLevel != "0" {
		a = append(a, "-C", "opt-level="+p.OptLevel)
	}
	if p.Panic != "" && p.Panic != "unwind" {
		a = append(a, "-C", "panic="+p.Panic)
	}
	a = append(a, lto...)
	if p.CodegenUnits != nil {
		a = append(a, "-C", fmt.Sprintf("codegen-units=%d", *p.CodegenUnits))
	}
	if p.Debuginfo != "0" && p.Debuginfo != "" {
		a = append(a, "-C", "debuginfo="+string(p.Debuginfo))
		if p.SplitDebuginfo != nil {
			a = append(a, "-C", "split-debuginfo="+*p.SplitDebuginfo)
		}
	}
	codegen, a = a, nil
	// -C overflow-checks follows -C debug-assertions unless given; both follow opt-level.
	if p.OptLevel != "0" {
		if p.DebugAssertions {
			a = append(a, "-C", "debug-assertions=on")
			if !p.OverflowChecks {
				a = append(a, "-C", "overflow-checks=off")
			}
		} else if p.OverflowChecks {
			a = append(a, "-C", "overflow-checks=on")
		}
	} else if !p.DebugAssertions {
		a = append(a, "-C", "debug-assertions=off")
		if p.OverflowChecks {
			a = append(a, "-C", "overflow-checks=on")
		}
	} else if !p.OverflowChecks {
		a = append(a, "-C", "overflow-checks=off")
	}
	return codegen, a
}

// checkCfgFeatures declares every feature of the package: cfg(feature, values("a", "b")).
func checkCfgFeatures(p *unitgraph.Package) string {
	names := make([]string, 0, len(p.Features))
	for f := range p.Features {
		names = append(names, fmt.Sprintf("%q", f))
	}
	sort.Strings(names)
	return "cfg(feature, values(" + strings.Join(names, ", ") + "))"
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
