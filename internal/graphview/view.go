package graphview

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// Status is what the store holds of a unit's output.
type Status int

const (
	StatusUnknown Status = iota // the store was not asked
	StatusCached                // the output is valid (CA: realised and valid)
	StatusToBuild               // building would run the unit's builder
)

// UnitInfo is what the caller knows of one unit beyond Cargo's graph.
type UnitInfo struct {
	DrvPath string
	Out     string // output path; "" for content-addressed
	Valid   bool   // the .drv is registered in the store
	Status  Status
}

// EdgeType says what flows along a dependency edge.
type EdgeType string

const (
	EdgeExtern   EdgeType = "extern"       // --extern: a library or proc-macro
	EdgeRunner   EdgeType = "build-script" // a compiled build script, run by its run unit
	EdgeOutput   EdgeType = "build-output" // a build-script run's directives (cfg, env, -L, OUT_DIR)
	EdgeMetadata EdgeType = "links"        // DEP_<LINKS>_* metadata between build-script runs
	EdgeBin      EdgeType = "bin"          // CARGO_BIN_EXE_* for integration tests
)

// Edge is one dependency of a node.
type Edge struct {
	To   string // the dependency's key
	Type EdgeType
	// Links is the dependency package's `links` value, for EdgeMetadata.
	Links string
}

// Node is one unit as the views show it.
type Node struct {
	Key     string // unique per unit, stable across edits
	Label   string // "greeter v0.2.1 (lib)", as Cargo names units
	What    string // "lib", "build script run", "bin app": the label's parenthesis
	Package *unitgraph.Package
	Unit    *unitgraph.Unit
	Deps    []Edge // sorted by key
	DrvPath string
	Output  string // store path, or "content-addressed"
	Valid   bool
	Status  Status
	IsRoot  bool
	rdeps   []string
}

// View is the unit graph joined with derivations, ready to render.
type View struct {
	CA    bool
	Nodes []*Node  // sorted by key
	Roots []string // keys, sorted
	// Result is the derivation collecting the roots' outputs.
	Result UnitInfo

	byKey map[string]*Node
}

// New views the units of nodes (one per unit of Cargo's graph, as plan.New
// makes them) with what info says of each.
func New(nodes []*plan.Node, info func(*plan.Node) UnitInfo, result UnitInfo, ca bool) (*View, error) {
	byIndex := make(map[int]*plan.Node, len(nodes))
	for _, n := range nodes {
		byIndex[n.Index] = n
	}
	v := &View{CA: ca, Result: result, byKey: map[string]*Node{}}
	for _, pn := range nodes {
		u := pn.Unit
		in := info(pn)
		n := &Node{Key: pn.Key, Label: u.String(), What: what(u), Package: u.Package, Unit: u,
			DrvPath: in.DrvPath, Output: in.Out, Valid: in.Valid, Status: in.Status, IsRoot: pn.Root}
		if n.Output == "" {
			n.Output = "content-addressed"
		}
		seen := map[string]bool{}
		for _, d := range u.Dependencies {
			dep := byIndex[d.Index]
			if dep == nil {
				return nil, fmt.Errorf("graphview: unit %s depends on unit %d, which is not in the plan", u, d.Index)
			}
			if !seen[dep.Key] { // a renamed dependency may appear twice
				seen[dep.Key] = true
				n.Deps = append(n.Deps, edge(u, dep.Unit, dep.Key))
			}
		}
		sort.Slice(n.Deps, func(a, b int) bool { return n.Deps[a].To < n.Deps[b].To })
		v.Nodes = append(v.Nodes, n)
		v.byKey[n.Key] = n
		if n.IsRoot {
			v.Roots = append(v.Roots, n.Key)
		}
	}
	sort.Strings(v.Roots)
	sort.Slice(v.Nodes, func(a, b int) bool { return v.Nodes[a].Key < v.Nodes[b].Key })
	for _, n := range v.Nodes {
		for _, d := range n.Deps {
			v.byKey[d.To].rdeps = append(v.byKey[d.To].rdeps, n.Key)
		}
	}
	return v, nil
}

// Node returns the node with key k, or nil.
func (v *View) Node(k string) *Node { return v.byKey[k] }

// what is the part of Unit.String in parentheses: "lib", "build script run", "bin app".
func what(u *unitgraph.Unit) string {
	s := u.String()
	if i := strings.Index(s, " ("); i >= 0 && strings.HasSuffix(s, ")") {
		return s[i+2 : len(s)-1]
	}
	return u.Kind()
}

// edge classifies the dependency of u on dep (cargo: core/compiler/unit_dependencies.rs).
func edge(u, dep *unitgraph.Unit, key string) Edge {
	e := Edge{To: key, Type: EdgeExtern}
	switch {
	case dep.IsBuildScriptRun() && u.IsBuildScriptRun():
		e.Type, e.Links = EdgeMetadata, unitgraph.Str(dep.Package.Links)
	case dep.IsBuildScriptRun():
		e.Type = EdgeOutput
	case dep.IsBuildScriptCompile():
		e.Type = EdgeRunner
	case dep.Target.HasKind("bin") && dep.Mode == "build":
		e.Type = EdgeBin
	}
	return e
}
