package unitgraph

import "slices"

// markCheckTests sets CheckTest on the check units Cargo compiles with --test
// (its CompileMode::Check { test: true }), which the unit graph writes as plain
// "check" like the others (cargo: core/compiler/compile_kind.rs and
// unit_graph.rs): the units of test and bench targets, which Cargo only ever
// checks as tests, and the later of two check units of one lib, bin or example
// target with the same profile, platform and features — Cargo sorts units by
// package, target, profile, platform, then mode, and Check { test: false }
// first. A lone test check of a lib or bin (`cargo check --tests` where nothing
// needs the plain one) cannot be told apart and is checked without --test.
func markCheckTests(g *Graph) {
	for i := range g.Units {
		u := &g.Units[i]
		if u.Mode != "check" {
			continue
		}
		if u.Target.HasKind("test") || u.Target.HasKind("bench") {
			u.CheckTest = true
			continue
		}
		for k := range i {
			if sameCheck(&g.Units[k], u) {
				u.CheckTest = true
				break
			}
		}
	}
}

// sameCheck reports two check units of one target that only Cargo's test flag
// can tell apart.
func sameCheck(a, b *Unit) bool {
	return a.Mode == "check" && a.PkgID == b.PkgID && a.Target.Name == b.Target.Name &&
		slices.Equal(a.Target.Kind, b.Target.Kind) && a.Target.SrcPath == b.Target.SrcPath &&
		a.Profile.Name == b.Profile.Name && Str(a.Platform) == Str(b.Platform) &&
		slices.Equal(a.Features, b.Features)
}
