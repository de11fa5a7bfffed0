package buildscript

import (
	"sort"
	"strings"
)

// Receiver describes a unit of the package whose build script ran.
type Receiver struct {
	Kind          string   `json:"kind"` // lib, bin, test, bench, example, custom-build
	Name          string   `json:"name"`
	CrateTypes    []string `json:"crateTypes,omitempty"`
	Test          bool     `json:"test,omitempty"` // compiled with --test
	PackageHasLib bool     `json:"packageHasLib,omitempty"`
}

// Run is a build script run's parsed output and its output directory.
type Run struct {
	Output *Output
	OutDir string // OUT_DIR of that run
}

// Args returns the rustc arguments and environment a unit receives from build
// scripts, in Cargo's order (cargo: core/compiler/mod.rs, add_native_deps and
// add_custom_flags): every -L (paths inside build outputs before external ones,
// each group in script order), then the own script's -l (for the lib, or for every
// target of a package without one), its link args for this target, --cfg,
// --check-cfg; env from rustc-env. own may be nil; deps are linkable dependencies'
// runs, whose -L paths reach this unit.
func Args(own *Run, r Receiver, deps []Run) ([]string, []EnvVar) {
	runs := deps
	if own != nil {
		runs = append([]Run{*own}, deps...)
	}
	type path struct {
		value    string
		artifact bool
	}
	var paths []path
	for _, run := range runs {
		for _, p := range run.Output.LinkSearch {
			paths = append(paths, path{p, insideAny(p, runs)})
		}
	}
	sort.SliceStable(paths, func(i, j int) bool { return paths[i].artifact && !paths[j].artifact })
	var args []string
	for _, p := range paths {
		args = append(args, "-L", p.value)
	}
	if own == nil {
		return args, nil
	}
	o := own.Output
	if r.Kind == "lib" || !r.PackageHasLib {
		for _, l := range o.LinkLibs {
			args = append(args, "-l", l)
		}
	}
	for _, la := range o.LinkArgs {
		if la.appliesTo(r) {
			args = append(args, "-C", "link-arg="+la.Arg)
		}
	}
	for _, c := range o.Cfgs {
		args = append(args, "--cfg", c)
	}
	for _, c := range o.CheckCfgs {
		args = append(args, "--check-cfg", c)
	}
	return args, o.Env
}

// appliesTo mirrors cargo's LinkArgTarget::applies_to.
func (la LinkArg) appliesTo(r Receiver) bool {
	switch {
	case la.Only == "":
		return true
	case la.Only == "cdylib":
		return !r.Test && has(r.CrateTypes, "cdylib")
	case la.Only == "bins":
		return r.Kind == "bin"
	case strings.HasPrefix(la.Only, "bin="):
		return r.Kind == "bin" && r.Name == strings.TrimPrefix(la.Only, "bin=")
	case la.Only == "tests":
		return r.Kind == "test"
	case la.Only == "benches":
		return r.Kind == "bench"
	case la.Only == "examples":
		return r.Kind == "example"
	}
	return false
}

// insideAny reports whether a -L value points into one of the runs' outputs
// (Cargo's "artifact" search paths, which come first).
func insideAny(value string, runs []Run) bool {
	if _, p, ok := strings.Cut(value, "="); ok {
		value = p
	}
	for _, run := range runs {
		root := strings.TrimSuffix(run.OutDir, "/out")
		if value == root || strings.HasPrefix(value, root+"/") {
			return true
		}
	}
	return false
}

// DepEnv is what direct dependents' build scripts receive from a package with
// `links`: DEP_<LINKS>_<KEY>=VALUE for each metadata pair.
func (o *Output) DepEnv(links string) []EnvVar {
	if links == "" {
		return nil
	}
	env := make([]EnvVar, 0, len(o.Metadata))
	for _, m := range o.Metadata {
		env = append(env, EnvVar{"DEP_" + envify(links) + "_" + envify(m.Key), m.Value})
	}
	return env
}

func envify(s string) string { return strings.ToUpper(strings.ReplaceAll(s, "-", "_")) }

func has(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
