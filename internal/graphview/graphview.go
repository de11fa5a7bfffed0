// Package graphview renders a plan's unit graph as Graphviz DOT or JSON.
package graphview

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// Node is one unit as the views show it.
type Node struct {
	Key      string   `json:"key"` // derivation name, unique per unit
	Package  string   `json:"package"`
	Version  string   `json:"version"`
	Target   string   `json:"target"`
	Kind     string   `json:"kind"`
	Mode     string   `json:"mode"`
	Profile  string   `json:"profile"`
	Features []string `json:"features"`
	Member   bool     `json:"member"`
	Deps     []string `json:"dependencies"` // keys, sorted
	DrvPath  string   `json:"drvPath"`
	Output   string   `json:"output"` // store path, or "content-addressed"
}

// Nodes builds the view of g; keys and drvs are index-aligned with g.Units.
func Nodes(g *unitgraph.Graph, keys, drvPaths, outputs []string) []Node {
	nodes := make([]Node, len(g.Units))
	for i := range g.Units {
		u := &g.Units[i]
		n := Node{Key: keys[i], Package: u.Package.Name, Version: u.Package.Version, Target: u.Target.Name,
			Kind: u.Kind(), Mode: u.Mode, Profile: u.Profile.Name, Features: u.Features, Member: u.Package.Member,
			DrvPath: drvPaths[i], Output: outputs[i]}
		if n.Features == nil {
			n.Features = []string{}
		}
		n.Deps = []string{}
		for _, d := range u.Dependencies {
			n.Deps = append(n.Deps, keys[d.Index])
		}
		sort.Strings(n.Deps)
		nodes[i] = n
	}
	sort.Slice(nodes, func(a, b int) bool { return nodes[a].Key < nodes[b].Key })
	return nodes
}

// JSON writes the nodes as one indented JSON array.
func JSON(w io.Writer, nodes []Node) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(nodes)
}

var shapes = map[string]string{
	"lib": "box", "proc-macro": "hexagon", "build-script": "note", "build-script-run": "cds",
	"bin": "doubleoctagon", "test": "component", "example": "component",
}

// DOT writes a Graphviz graph: clusters per package, members filled, left to right.
func DOT(w io.Writer, nodes []Node) error {
	var b strings.Builder
	b.WriteString("digraph units {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n  edge [color=\"#888888\"];\n")
	byPkg := map[string][]Node{}
	var pkgs []string
	for _, n := range nodes {
		k := n.Package + " " + n.Version
		if _, ok := byPkg[k]; !ok {
			pkgs = append(pkgs, k)
		}
		byPkg[k] = append(byPkg[k], n)
	}
	sort.Strings(pkgs)
	for ci, k := range pkgs {
		ns := byPkg[k]
		fill := "#ffffff"
		if ns[0].Member {
			fill = "#dbeafe"
		}
		fmt.Fprintf(&b, "  subgraph cluster_%d {\n    label=%q; style=rounded; color=\"#bbbbbb\";\n", ci, k)
		for _, n := range ns {
			shape := shapes[n.Kind]
			if shape == "" {
				shape = "box"
			}
			fmt.Fprintf(&b, "    %q [label=%q, shape=%s, style=filled, fillcolor=%q];\n", n.Key, n.Target+"\n"+n.Kind, shape, fill)
		}
		b.WriteString("  }\n")
	}
	for _, n := range nodes {
		for _, d := range n.Deps {
			fmt.Fprintf(&b, "  %q -> %q;\n", d, n.Key)
		}
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}
