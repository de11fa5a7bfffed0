package graphview

import (
	"fmt"
	"sort"
	"strings"

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
	Name    string // derivation name (plan.DrvName)
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
	// members are the workspace's members, selected or not.
	members []*unitgraph.Package
}

// New joins g with infos (index-aligned with g.Units).
func New(g *unitgraph.Graph, infos []UnitInfo, result UnitInfo, ca bool) (*View, error) {
	if len(infos) != len(g.Units) {
		return nil, fmt.Errorf("graphview: %d unit infos for %d units", len(infos), len(g.Units))
	}
	names := make([]string, len(infos))
	for i, in := range infos {
		names[i] = in.Name
	}
	keys := Keys(g, names)
	v := &View{CA: ca, Result: result, byKey: map[string]*Node{}}
	if g.Workspace != nil {
		for _, p := range g.Workspace.Packages {
			if p.Member {
				v.members = append(v.members, p)
			}
		}
	}
	for i := range g.Units {
		u := &g.Units[i]
		in := infos[i]
		n := &Node{Key: keys[i], Label: u.String(), What: what(u), Package: u.Package, Unit: u,
			DrvPath: in.DrvPath, Output: in.Out, Valid: in.Valid, Status: in.Status}
		if n.Output == "" {
			n.Output = "content-addressed"
		}
		seen := map[string]bool{}
		for _, d := range u.Dependencies {
			if !seen[keys[d.Index]] { // a renamed dependency may appear twice
				seen[keys[d.Index]] = true
				n.Deps = append(n.Deps, edge(u, &g.Units[d.Index], keys[d.Index]))
			}
		}
		sort.Slice(n.Deps, func(a, b int) bool { return n.Deps[a].To < n.Deps[b].To })
		v.Nodes = append(v.Nodes, n)
		v.byKey[n.Key] = n
	}
	for _, r := range g.Roots {
		v.byKey[keys[r]].IsRoot = true
		v.Roots = append(v.Roots, keys[r])
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

// Keys names each unit uniquely and stably across edits: its derivation name. Where
// several units share a name, what tells them apart is appended: "@<mode>" unless
// build, "@<target triple>" unless the host, "@opt<level>", "@debuginfo<n>",
// "@features=<list>" (each only if it varies among them, until they differ), and
// "#n" in Cargo's order last.
func Keys(g *unitgraph.Graph, names []string) []string {
	keys := append([]string(nil), names...)
	groups := map[string][]int{}
	for i, k := range keys {
		groups[k] = append(groups[k], i)
	}
	traits := []struct {
		value func(u *unitgraph.Unit) string
		plain string // the value that adds nothing
	}{
		{func(u *unitgraph.Unit) string { return u.Mode }, "build"},
		{func(u *unitgraph.Unit) string { return unitgraph.Str(u.Platform) }, ""},
		{func(u *unitgraph.Unit) string { return "opt" + u.Profile.OptLevel }, "\x00"},
		{func(u *unitgraph.Unit) string { return "debuginfo" + string(u.Profile.Debuginfo) }, "\x00"},
		{func(u *unitgraph.Unit) string { return "features=" + strings.Join(u.Features, ",") }, "\x00"},
	}
	for _, idx := range groups {
		if len(idx) < 2 {
			continue
		}
		for _, tr := range traits {
			vals := map[string]bool{}
			for _, i := range idx {
				vals[tr.value(&g.Units[i])] = true
			}
			if len(vals) < 2 {
				continue
			}
			seen := map[string]bool{}
			for _, i := range idx {
				if v := tr.value(&g.Units[i]); v != tr.plain {
					keys[i] += "@" + v
				}
				seen[keys[i]] = true
			}
			if len(seen) == len(idx) {
				break
			}
		}
	}
	count, n := map[string]int{}, map[string]int{}
	for _, k := range keys {
		count[k]++
	}
	for i, k := range keys {
		if count[k] > 1 {
			n[k]++
			keys[i] = fmt.Sprintf("%s#%d", k, n[k])
		}
	}
	return keys
}

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
