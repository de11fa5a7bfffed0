package plan

import "github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"

// ltoMode is what a unit contributes to link-time optimisation (cargo:
// core/compiler/lto.rs, Lto), decided from the roots down.
type ltoMode int

const (
	ltoUnset            ltoMode = iota
	ltoRun                      // -C lto[=x]: this unit runs LTO (bin, cdylib, staticlib)
	ltoOff                      // -C lto=off
	ltoObjectAndBitcode         // rustc's default: both
	ltoOnlyBitcode              // -C linker-plugin-lto: only LTO-ing dependents use it
	ltoOnlyObject               // -C embed-bitcode=no: no dependent runs LTO
)

// ltoModes computes every unit's LTO mode like cargo's lto::generate: each
// root starts from its profile, and a dependency's needs follow from its
// dependents' and its own crate types.
func (c *planner) ltoModes() map[int]ltoMode {
	if c.lto != nil {
		return c.lto
	}
	g := c.Graph
	c.lto = map[int]ltoMode{}
	for _, r := range g.Roots {
		u := &g.Units[r]
		var root ltoMode
		switch u.Profile.LTO {
		case "false", "":
			root = ltoOnlyObject
		case "off":
			root = ltoOff
		default:
			types := u.Target.CrateTypes
			switch {
			case forHost(u):
				root = ltoOnlyObject
			case needsObject(types):
				root = ltoWhenNeedsObject(types)
			default:
				root = ltoOnlyBitcode
			}
		}
		c.calculateLTO(r, root)
	}
	return c.lto
}

func (c *planner) calculateLTO(i int, parent ltoMode) {
	u := &c.Graph.Units[i]
	types := u.Target.CrateTypes
	if u.Mode == "test" || u.Mode == "bench" || u.Mode == "doctest" {
		types = []string{"bin"}
	}
	allLTO := len(types) > 0
	for _, t := range types {
		allLTO = allLTO && canLTO(t)
	}
	var mode ltoMode
	switch {
	case forHost(u):
		mode = ltoOnlyObject
	case allLTO:
		switch u.Profile.LTO {
		case "off":
			mode = ltoOff
		case "false", "":
			mode = ltoOnlyObject
		default:
			mode = ltoRun
		}
	default:
		needs := needsObject(types)
		switch {
		case parent == ltoRun && !needs:
			mode = ltoOnlyBitcode
		case needs && (parent == ltoRun || parent == ltoOnlyBitcode):
			mode = ltoWhenNeedsObject(types)
		case parent == ltoOff:
			mode = ltoOff
		default:
			mode = parent
		}
	}
	if old, seen := c.lto[i]; seen {
		merged := mergeLTO(mode, old)
		if merged == old {
			return
		}
		mode = merged
	}
	c.lto[i] = mode
	for _, d := range u.Dependencies {
		c.calculateLTO(d.Index, mode)
	}
}

// mergeLTO combines what two dependents need of one unit.
func mergeLTO(a, b ltoMode) ltoMode {
	switch {
	case a == b:
		return a
	case a == ltoRun || b == ltoRun:
		return ltoRun
	case a == ltoOff || b == ltoOff:
		return ltoOff
	}
	return ltoObjectAndBitcode
}

// ltoArgs are the unit's LTO flags (cargo: core/compiler/mod.rs, build_base_args).
func (c *planner) ltoArgs(i int) []string {
	u := &c.Graph.Units[i]
	switch c.ltoModes()[i] {
	case ltoRun:
		if u.Profile.LTO == "true" {
			return []string{"-C", "lto"}
		}
		return []string{"-C", "lto=" + u.Profile.LTO}
	case ltoOff:
		return []string{"-C", "lto=off"}
	case ltoOnlyBitcode:
		return []string{"-C", "linker-plugin-lto"}
	case ltoObjectAndBitcode:
		return nil
	}
	return []string{"-C", "embed-bitcode=no"}
}

// forHost reports targets always built for the host: build scripts and proc-macros.
func forHost(u *unitgraph.Unit) bool {
	return u.Target.HasKind("custom-build") || u.IsProcMacro()
}

func canLTO(crateType string) bool {
	return crateType == "bin" || crateType == "staticlib" || crateType == "cdylib"
}

func needsObject(types []string) bool {
	for _, t := range types {
		if canLTO(t) || t == "dylib" || t == "cdylib" || t == "proc-macro" {
			return true
		}
	}
	return false
}

func ltoWhenNeedsObject(types []string) ltoMode {
	for _, t := range types {
		if t != "dylib" {
			return ltoObjectAndBitcode
		}
	}
	return ltoOnlyObject
}
