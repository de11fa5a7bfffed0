package buildscript

import (
	"fmt"
	"slices"
	"strings"
)

// TargetInfo is one target of a package, as `cargo metadata` lists it.
type TargetInfo struct {
	// Kind is "lib" (also given as a lib crate type: "rlib", "dylib", "cdylib",
	// "staticlib", "proc-macro"), "bin", "test", "bench", "example" or
	// "custom-build".
	Kind       string   `json:"kind"`
	Name       string   `json:"name"`
	CrateTypes []string `json:"crateTypes,omitempty"` // for libs and examples
}

// isLibKind reports whether kind is a lib target (cargo: Target::is_lib, which is
// true for every TargetKind::Lib whatever its crate types, proc-macros included).
func isLibKind(kind string) bool {
	switch kind {
	case "lib", "rlib", "dylib", "cdylib", "staticlib", "proc-macro":
		return true
	}
	return false
}

// isCdylib mirrors cargo's Target::is_cdylib: a lib target with the cdylib crate
// type. Examples built as cdylib are not.
func isCdylib(kind string, crateTypes []string) bool {
	return kind == "cdylib" || (isLibKind(kind) && slices.Contains(crateTypes, "cdylib"))
}

// isExeExample mirrors cargo's Target::is_exe_example: an example built as a
// binary (its crate types are ["bin"], or not given).
func isExeExample(kind string, crateTypes []string) bool {
	return kind == "example" && (len(crateTypes) == 0 || slices.Contains(crateTypes, "bin"))
}

// libCrateName is the crate name of the package's lib target, "" if none.
func libCrateName(targets []TargetInfo) string {
	for _, t := range targets {
		if isLibKind(t.Kind) {
			return strings.ReplaceAll(t.Name, "-", "_")
		}
	}
	return ""
}

// Validate checks that every target-specific link argument names targets the
// package has, as Cargo does while parsing (cargo: custom_build.rs,
// BuildOutput::parse, check_and_add_target). Parse makes the same check, with the
// line, when Options.Targets is set.
func (o *Output) Validate(targets []TargetInfo) error {
	for _, la := range o.LinkArgs {
		if err := checkLinkArgTarget(la.Only, targets); err != nil {
			return err
		}
	}
	return nil
}

// checkLinkArgTarget returns Cargo's error for a rustc-link-arg-* directive whose
// targets the package lacks. rustc-link-arg-cdylib is only a warning (see
// cdylibWarning).
func checkLinkArgTarget(only string, targets []TargetInfo) error {
	has := func(f func(TargetInfo) bool) bool { return slices.ContainsFunc(targets, f) }
	var ok bool
	var what, key string
	switch only {
	case OnlyAll, OnlyCdylib:
		return nil
	case OnlyBins:
		ok, what, key = has(func(t TargetInfo) bool { return t.Kind == "bin" }), "a bin target", "rustc-link-arg-bins"
	case OnlyTests:
		ok, what, key = has(func(t TargetInfo) bool { return t.Kind == "test" }), "a test target", "rustc-link-arg-tests"
	case OnlyBenches:
		ok, what, key = has(func(t TargetInfo) bool { return t.Kind == "bench" }), "a benchmark target", "rustc-link-arg-benches"
	case OnlyExamples:
		// Cargo checks Target::is_example here (any example) although the
		// arguments only reach examples built as binaries.
		ok, what, key = has(func(t TargetInfo) bool { return t.Kind == "example" }), "an example target", "rustc-link-arg-examples"
	default:
		name, isBin := strings.CutPrefix(only, onlyBinPfx)
		if !isBin {
			return fmt.Errorf("unknown link argument target %q", only)
		}
		ok = has(func(t TargetInfo) bool { return t.Kind == "bin" && t.Name == name })
		what, key = fmt.Sprintf("a bin target with the name `%s`", name), "rustc-link-arg-bin"
	}
	if !ok {
		return fmt.Errorf("invalid instruction `%s`: the package does not have %s", key, what)
	}
	return nil
}

// cdylibWarning is Cargo's warning for rustc-link-arg-cdylib in a package without
// a cdylib lib target; the arguments are kept (cargo issue 9562).
func cdylibWarning(syntax, key, pkg string, targets []TargetInfo) (string, bool) {
	if targets == nil || slices.ContainsFunc(targets, func(t TargetInfo) bool { return isCdylib(t.Kind, t.CrateTypes) }) {
		return "", false
	}
	return fmt.Sprintf("%s%s was specified in the build script of %s, but that package does not contain a cdylib target\n\n"+
		"Allowing this was an unintended change in the 1.50 release, and may become an error in the future. "+
		"For more information, see <https://github.com/rust-lang/cargo/issues/9562>.", syntax, key, pkg), true
}
