package buildscript

import (
	"strings"
)

// Receiver describes a unit that receives directives from build scripts.
type Receiver struct {
	// Kind is the target kind: "lib" (or a lib crate type: "rlib", "dylib",
	// "cdylib", "staticlib", "proc-macro"), "bin", "test" (integration test),
	// "bench", "example" or "custom-build" (a build script's compilation, which
	// gets nothing from its own package's script).
	Kind       string   `json:"kind"`
	Name       string   `json:"name"`                 // target name
	CrateTypes []string `json:"crateTypes,omitempty"` // for libs and examples
	// Test is set for a unit compiled with --test (mode test, also for benches
	// and for `cargo check --tests`): cdylib link arguments then do not apply.
	Test          bool `json:"test,omitempty"`
	PackageHasLib bool `json:"packageHasLib,omitempty"`
	// Doc is set for rustdoc: it gets the package's --cfg, --check-cfg and
	// environment, nothing for linking (cargo: core/compiler/mod.rs, rustdoc).
	Doc bool `json:"doc,omitempty"`
}

// Run is one build script run's parsed output and its OUT_DIR.
type Run struct {
	Output *Output
	OutDir string
}

// Args returns the rustc arguments and environment that a unit receives from
// build scripts, in Cargo's order (cargo: core/compiler/mod.rs, rustc's
// add_native_deps then add_custom_flags):
//
//  1. -L for every search path of every run: those inside the OUT_DIR of the run
//     that printed them first, the others after, each group in run then line order;
//  2. per run: the own run's -l (only for a lib unit, or any unit when the package
//     has no lib), then its link arguments for this unit; a dependency's run gives
//     only its cdylib link arguments, to cdylib units (cargo issue 9562);
//  3. the own run's --cfg, then its --check-cfg.
//
// The environment is the own run's rustc-env pairs. own is the unit's package's
// run, nil if none. deps are the runs of the packages reached from the unit
// through linkable dependencies (libs, not proc-macros, build scripts or bins),
// in Cargo's order (cargo: custom_build.rs, build_map): depth first, each unit's
// direct dependencies sorted by package id, the first occurrence kept. Runs
// repeated in deps, or equal to own, are skipped by OutDir.
func Args(own *Run, r Receiver, deps []Run) ([]string, []EnvVar) {
	if r.Kind == "custom-build" {
		own = nil // a build script's compilation is not linked against its own output
	}
	if r.Doc {
		deps = nil
		if own != nil && own.Output != nil {
			own = &Run{Output: &Output{Cfgs: own.Output.Cfgs, CheckCfgs: own.Output.CheckCfgs, Env: own.Output.Env}, OutDir: own.OutDir}
		}
	}
	var runs []Run
	seen := map[string]bool{}
	if own != nil && own.Output != nil {
		runs = append(runs, *own)
		seen[own.OutDir] = true
	}
	for _, d := range deps {
		if d.Output != nil && !seen[d.OutDir] {
			seen[d.OutDir] = true
			runs = append(runs, d)
		}
	}
	isOwn := func(i int) bool { return i == 0 && own != nil && own.Output != nil }

	var args, external []string
	for _, run := range runs {
		for _, p := range run.Output.LinkSearch {
			if isArtifactPath(p, run.OutDir) {
				args = append(args, "-L", p)
			} else {
				external = append(external, "-L", p)
			}
		}
	}
	args = append(args, external...)

	passLibs := isLibKind(r.Kind) || !r.PackageHasLib
	for i, run := range runs {
		if isOwn(i) && passLibs {
			for _, l := range run.Output.LinkLibs {
				args = append(args, "-l", l)
			}
		}
		for _, la := range run.Output.LinkArgs {
			if la.appliesTo(r) && (isOwn(i) || la.Only == OnlyCdylib) {
				args = append(args, "-C", "link-arg="+la.Arg)
			}
		}
	}
	if own == nil || own.Output == nil {
		return args, nil
	}
	for _, c := range own.Output.Cfgs {
		args = append(args, "--cfg", c)
	}
	for _, c := range own.Output.CheckCfgs {
		args = append(args, "--check-cfg", c)
	}
	return args, own.Output.Env
}

// OwnArgs is Args for a unit whose only build script is its own package's, run
// with OUT_DIR outDir.
func (o *Output) OwnArgs(r Receiver, outDir string) ([]string, []EnvVar) {
	return Args(&Run{Output: o, OutDir: outDir}, r, nil)
}

// DependentArgs is what a unit receives from the build script of a package it
// reaches through linkable dependencies: -L (paths inside outDir first) and, for
// a cdylib unit, the cdylib link arguments. A unit with several build scripts
// needs Args: Cargo orders the -L paths of all of them together.
func (o *Output) DependentArgs(r Receiver, outDir string) []string {
	args, _ := Args(nil, r, []Run{{Output: o, OutDir: outDir}})
	return args
}

// DylibPaths returns the search paths, without their KIND= prefix, that lie inside
// root. Cargo adds those of host dependencies (proc-macros, build dependencies) to
// the dynamic library path of rustc and of build scripts, root being its target
// directory (cargo: core/compiler/mod.rs, add_plugin_deps and
// filter_dynamic_search_path).
func (o *Output) DylibPaths(root string) []string {
	var paths []string
	for _, p := range o.LinkSearch {
		if d := dynamicSearchPath(p); pathHasPrefix(d, root) {
			paths = append(paths, d)
		}
	}
	return paths
}

// appliesTo mirrors cargo's LinkArgTarget::applies_to.
func (la LinkArg) appliesTo(r Receiver) bool {
	switch la.Only {
	case OnlyAll:
		return true
	case OnlyCdylib:
		return !r.Test && isCdylib(r.Kind, r.CrateTypes)
	case OnlyBins:
		return r.Kind == "bin"
	case OnlyTests:
		return r.Kind == "test"
	case OnlyBenches:
		return r.Kind == "bench"
	case OnlyExamples:
		return isExeExample(r.Kind, r.CrateTypes)
	}
	name, ok := strings.CutPrefix(la.Only, onlyBinPfx)
	return ok && r.Kind == "bin" && r.Name == name
}

// isArtifactPath reports whether a -L value points inside the OUT_DIR of the run
// that printed it (cargo: custom_build.rs, LibraryPath::new): Cargo's
// CargoArtifact paths, which go before External ones.
func isArtifactPath(value, outDir string) bool {
	return pathHasPrefix(dynamicSearchPath(value), outDir)
}

// dynamicSearchPath drops a KIND= prefix (cargo: core/compiler/mod.rs,
// get_dynamic_search_path).
func dynamicSearchPath(value string) string {
	kind, path, ok := strings.Cut(value, "=")
	switch {
	case !ok:
		return value
	case kind == "native", kind == "crate", kind == "dependency", kind == "framework", kind == "all":
		return path
	}
	return value
}

// pathHasPrefix is Rust's Path::starts_with: whole components, with empty and
// "." components other than a leading "." ignored and ".." kept. An empty
// prefix matches nothing here (Rust would match everything).
func pathHasPrefix(path, prefix string) bool {
	pc, xc := components(path), components(prefix)
	if len(xc) == 0 || len(xc) > len(pc) {
		return false
	}
	for i := range xc {
		if pc[i] != xc[i] {
			return false
		}
	}
	return true
}

func components(p string) []string {
	var cs []string
	if strings.HasPrefix(p, "/") {
		cs = append(cs, "/")
	}
	for i, c := range strings.Split(p, "/") {
		if c == "" || (c == "." && (i > 0 || cs != nil)) {
			continue
		}
		cs = append(cs, c)
	}
	return cs
}
