package graphview

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// DOTOptions adjust the Graphviz output.
type DOTOptions struct {
	// Status colours nodes by store status (cached green, to build orange) instead of by kind.
	Status bool
}

// style is how one kind of unit looks: shape and fill.
type style struct{ shape, fill string }

var kindStyles = map[string]style{
	"lib":              {"box", "#ffffff"},
	"proc-macro":       {"Mrecord", "#ddd6fe"},
	"build-script":     {"note", "#fef3c7"},
	"build-script-run": {"cds", "#fde68a"},
	"bin":              {"box3d", "#bbf7d0"},
	"example":          {"box3d", "#cffafe"},
	"lib-test":         {"component", "#fecaca"},
	"bin-test":         {"component", "#fecaca"},
	"test":             {"component", "#fecaca"},
	"bench":            {"component", "#fbcfe8"},
}

var statusFill = map[Status]string{StatusCached: "#bbf7d0", StatusToBuild: "#fdba74", StatusUnknown: "#e5e7eb"}

// edgeAttrs draw each edge type: extern solid grey; build-script data amber.
var edgeAttrs = map[EdgeType]string{
	EdgeExtern:   "",
	EdgeRunner:   ` [color="#b45309", style=bold]`,
	EdgeOutput:   ` [color="#d97706", style=dashed]`,
	EdgeMetadata: ` [color="#dc2626", style=dashed, fontcolor="#dc2626", label=%s]`,
	EdgeBin:      ` [color="#15803d", style=dashed]`,
}

// DOT writes a Graphviz digraph, left to right with dependencies on the left.
// Workspace members sit in a filled "workspace" cluster, dependencies in another;
// packages with several units get a cluster of their own. Node labels are two short
// lines, "name version" and what the unit is, so 200-unit graphs stay readable.
func (v *View) DOT(w io.Writer, opts DOTOptions) error {
	var b strings.Builder
	b.WriteString("digraph units {\n")
	b.WriteString("  rankdir=LR;\n  newrank=true;\n  nodesep=0.12;\n  ranksep=0.5;\n")
	b.WriteString("  fontname=\"Helvetica\";\n")
	b.WriteString("  node [fontname=\"Helvetica\", fontsize=9, style=filled, height=0.3, margin=\"0.06,0.03\", color=\"#6b7280\"];\n")
	b.WriteString("  edge [color=\"#9ca3af\", arrowsize=0.5, fontname=\"Helvetica\", fontsize=8];\n")
	legend := "edges: grey --extern · brown: build script to its run · dashed orange: build-script output · dashed red: links metadata (DEP_*) · dashed green: CARGO_BIN_EXE_*"
	if opts.Status {
		legend = "green: in the store · orange: to build\n" + legend
	}
	members, deps := v.packages()
	v.writeGroup(&b, "workspace", "workspace members", "filled,rounded", members, opts)
	v.writeGroup(&b, "dependencies", "dependencies", "rounded", deps, opts)
	for _, n := range v.Nodes {
		for _, e := range n.Deps {
			attrs := edgeAttrs[e.Type]
			if e.Type == EdgeMetadata {
				attrs = fmt.Sprintf(attrs, quote("DEP_"+strings.ToUpper(strings.ReplaceAll(e.Links, "-", "_"))))
			}
			fmt.Fprintf(&b, "  %s -> %s%s;\n", quote(e.To), quote(n.Key), attrs)
		}
	}
	// Last, so that the clusters do not inherit the legend's placement and size.
	fmt.Fprintf(&b, "  label=%s;\n  labelloc=b;\n  fontsize=9;\n}\n", quote(legend))
	_, err := io.WriteString(w, b.String())
	return err
}

// packageGroup is the nodes of one package, keyed "name version id".
type packageGroup struct {
	name  string
	nodes []*Node
}

// packages splits the nodes by package, members first; both lists sorted by name, version, id.
func (v *View) packages() (members, deps []packageGroup) {
	byID := map[string]*packageGroup{}
	var ids []string
	for _, n := range v.Nodes {
		g := byID[n.Package.ID]
		if g == nil {
			g = &packageGroup{name: n.Package.Name + " " + n.Package.Version}
			byID[n.Package.ID] = g
			ids = append(ids, n.Package.ID)
		}
		g.nodes = append(g.nodes, n)
	}
	sort.Slice(ids, func(a, b int) bool {
		ga, gb := byID[ids[a]], byID[ids[b]]
		if ga.name != gb.name {
			return ga.name < gb.name
		}
		return ids[a] < ids[b]
	})
	for _, id := range ids {
		if byID[id].nodes[0].Package.Member {
			members = append(members, *byID[id])
		} else {
			deps = append(deps, *byID[id])
		}
	}
	return members, deps
}

func (v *View) writeGroup(b *strings.Builder, id, label, style string, pkgs []packageGroup, opts DOTOptions) {
	if len(pkgs) == 0 {
		return
	}
	fill := "#eff6ff"
	if id != "workspace" {
		fill = "#ffffff"
	}
	fmt.Fprintf(b, "  subgraph cluster_%s {\n    label=%s;\n    style=%q;\n    fillcolor=%q;\n    color=\"#93c5fd\";\n", id, quote(label), style, fill)
	for i, p := range pkgs {
		indent := "    "
		if len(p.nodes) > 1 {
			fmt.Fprintf(b, "    subgraph cluster_%s_%d {\n      label=\"\";\n      style=\"dashed,rounded\";\n      color=\"#9ca3af\";\n", id, i)
			indent = "      "
		}
		for _, n := range p.nodes {
			b.WriteString(indent + nodeLine(n, opts) + "\n")
		}
		if len(p.nodes) > 1 {
			b.WriteString("    }\n")
		}
	}
	b.WriteString("  }\n")
}

func nodeLine(n *Node, opts DOTOptions) string {
	st, ok := kindStyles[n.Unit.Kind()]
	if !ok {
		st = style{"box", "#ffffff"}
	}
	fill := st.fill
	if opts.Status {
		fill = statusFill[n.Status]
	}
	attrs := fmt.Sprintf("label=%s, shape=%s, fillcolor=%q", quote(n.Package.Name+" "+n.Package.Version+"\n"+n.What), st.shape, fill)
	if n.IsRoot {
		attrs += ", penwidth=2"
	}
	return quote(n.Key) + " [" + attrs + "];"
}

// quote makes a DOT string: only '"', '\' and newlines need escaping (Go's %q would
// write \u escapes Graphviz does not read).
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}
