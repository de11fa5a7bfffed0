package unitgraph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
)

// SupportedVersion is the only unit-graph format version this package understands.
const SupportedVersion = 1

// Parse decodes a unit graph and `cargo metadata` output and joins them on pkg_id.
func Parse(graphJSON, metadataJSON []byte) (*Graph, error) {
	var g Graph
	dec := json.NewDecoder(bytes.NewReader(graphJSON))
	if err := dec.Decode(&g); err != nil {
		return nil, fmt.Errorf("reading cargo's unit graph: %w", err)
	}
	if g.Version != SupportedVersion {
		return nil, fmt.Errorf("cargo's unit graph has version %d; cargo-nix-unit understands version %d only", g.Version, SupportedVersion)
	}
	var md Metadata
	if err := json.Unmarshal(metadataJSON, &md); err != nil {
		return nil, fmt.Errorf("reading cargo metadata: %w", err)
	}
	if md.Version != 1 {
		return nil, fmt.Errorf("cargo metadata has format version %d; cargo-nix-unit understands version 1 only", md.Version)
	}
	byID := make(map[string]*Package, len(md.Packages))
	for i, p := range md.Packages {
		if p == nil {
			return nil, fmt.Errorf("reading cargo metadata: package %d is null", i)
		}
		byID[p.ID] = p
	}
	for _, id := range md.WorkspaceMembers {
		if p := byID[id]; p != nil {
			p.Member = true
		}
	}
	g.Workspace = &md
	for i := range g.Units {
		u := &g.Units[i]
		u.Package = byID[u.PkgID]
		if u.Package == nil {
			return nil, fmt.Errorf("unit %d (%s): package %s is not in cargo metadata", i, u.Target.Name, u.PkgID)
		}
		for _, d := range u.Dependencies {
			if d.Index < 0 || d.Index >= len(g.Units) {
				return nil, fmt.Errorf("unit %s: dependency index %d out of range", u, d.Index)
			}
		}
	}
	for _, r := range g.Roots {
		if r < 0 || r >= len(g.Units) {
			return nil, fmt.Errorf("unit graph root %d out of range", r)
		}
	}
	if _, err := g.TopoOrder(); err != nil {
		return nil, err
	}
	markCheckTests(&g)
	return &g, nil
}

// TopoOrder returns unit indices with every unit after all of its dependencies.
func (g *Graph) TopoOrder() ([]int, error) {
	const (
		unseen = iota
		active
		done
	)
	state := make([]int, len(g.Units))
	order := make([]int, 0, len(g.Units))
	var visit func(i int) error
	visit = func(i int) error {
		switch state[i] {
		case done:
			return nil
		case active:
			return fmt.Errorf("unit graph has a cycle through %s", &g.Units[i])
		}
		state[i] = active
		for _, d := range g.Units[i].Dependencies {
			if err := visit(d.Index); err != nil {
				return err
			}
		}
		state[i] = done
		order = append(order, i)
		return nil
	}
	for i := range g.Units {
		if err := visit(i); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// CrateName is the target's crate name: its name with '-' replaced by '_'.
func (t Target) CrateName() string { return strings.ReplaceAll(t.Name, "-", "_") }

// HasKind reports whether the target is of kind k.
func (t Target) HasKind(k string) bool {
	for _, x := range t.Kind {
		if x == k {
			return true
		}
	}
	return false
}

// IsLib reports whether the target is a library of any crate type (lib, rlib, dylib, cdylib, staticlib, proc-macro).
func (t Target) IsLib() bool {
	for _, k := range t.Kind {
		switch k {
		case "lib", "rlib", "dylib", "cdylib", "staticlib", "proc-macro":
			return true
		}
	}
	return false
}

// IsBuildScriptCompile reports whether u compiles a build script.
func (u *Unit) IsBuildScriptCompile() bool {
	return u.Target.HasKind("custom-build") && u.Mode != "run-custom-build"
}

// IsBuildScriptRun reports whether u runs a build script.
func (u *Unit) IsBuildScriptRun() bool { return u.Mode == "run-custom-build" }

// IsRustcTest reports a unit rustc compiles with --test (cargo: CompileMode::is_rustc_test).
func (u *Unit) IsRustcTest() bool { return u.Mode == "test" || u.Mode == "bench" || u.CheckTest }

// IsProcMacro reports whether u compiles a proc-macro crate.
func (u *Unit) IsProcMacro() bool { return u.Target.HasKind("proc-macro") }

// Kind names what the unit is, for people: lib, bin, proc-macro, build-script,
// build-script-run, lib-test, bin-test, test, example, bench, doctest.
func (u *Unit) Kind() string {
	switch {
	case u.IsBuildScriptRun():
		return "build-script-run"
	case u.IsBuildScriptCompile():
		return "build-script"
	case u.Mode == "doctest":
		return "doctest"
	case (u.Mode == "test" || u.CheckTest) && u.Target.IsLib():
		return "lib-test"
	case (u.Mode == "test" || u.CheckTest) && u.Target.HasKind("bin"):
		return "bin-test"
	case u.IsProcMacro():
		return "proc-macro"
	case u.Target.IsLib():
		return "lib"
	}
	if len(u.Target.Kind) > 0 {
		return u.Target.Kind[0]
	}
	return "unknown"
}

// String names the unit the way error messages do: "serde v1.0.152 (build script run)".
func (u *Unit) String() string {
	name, version := u.Target.Name, ""
	if u.Package != nil {
		name, version = u.Package.Name, " v"+u.Package.Version
	}
	what := u.Kind()
	switch what {
	case "build-script":
		what = "build script"
	case "build-script-run":
		what = "build script run"
	case "lib", "proc-macro", "doctest":
	default:
		what += " " + u.Target.Name
	}
	return fmt.Sprintf("%s%s (%s)", name, version, what)
}

// Dir is the directory holding the package's Cargo.toml.
func (p *Package) Dir() string { return filepath.Dir(p.ManifestPath) }

// IsPath reports whether the package comes from a local path (not a registry or git).
func (p *Package) IsPath() bool { return p.Source == nil }

// HasLib reports whether the package has a library target.
func (p *Package) HasLib() bool {
	for _, t := range p.Targets {
		if t.IsLib() {
			return true
		}
	}
	return false
}

// Str returns *s, or "" for nil: Cargo's CARGO_PKG_* variables are empty when unset.
func Str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
