package graphview

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// maxChains bounds how many roots' chains `--why` shows for one unit.
const maxChains = 5

// Find returns the units q names, sorted by key: a key, a unit label
// ("greeter v0.2.1 (lib)"), a package name, "name@version", or a package ID.
func (v *View) Find(q string) []*Node {
	if n := v.byKey[q]; n != nil {
		return []*Node{n}
	}
	var out []*Node
	for _, n := range v.Nodes {
		p := n.Package
		if q == n.Label || q == p.Name || q == p.Name+"@"+p.Version || q == p.ID {
			out = append(out, n)
		}
	}
	return out
}

// Chains returns, for every root that needs n, the shortest chain of units from that
// root down to n, shortest chains first (then by root key).
func (v *View) Chains(n *Node) [][]*Node {
	var chains [][]*Node
	for _, r := range v.Roots {
		if c := v.shortestPath(v.byKey[r], n); c != nil {
			chains = append(chains, c)
		}
	}
	sort.SliceStable(chains, func(a, b int) bool { return len(chains[a]) < len(chains[b]) })
	return chains
}

// shortestPath is a breadth-first search from root along dependencies; dependencies are
// visited in key order, so ties resolve the same way every time.
func (v *View) shortestPath(root, target *Node) []*Node {
	parent := map[string]string{root.Key: ""}
	queue := []*Node{root}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if n == target {
			var path []*Node
			for k := n.Key; k != ""; k = parent[k] {
				path = append(path, v.byKey[k])
			}
			for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
				path[i], path[j] = path[j], path[i]
			}
			return path
		}
		for _, e := range n.Deps {
			if _, seen := parent[e.To]; !seen {
				parent[e.To] = n.Key
				queue = append(queue, v.byKey[e.To])
			}
		}
	}
	return nil
}

// WhyOptions feed `--why` what the graph alone does not know.
type WhyOptions struct {
	// Explain lists what changed in a unit's inputs since the last build; nil: unknown.
	Explain func(key string) []string
	// Members are the workspace's members, selected or not: a query naming
	// one the command does not select says so.
	Members []*unitgraph.Package
}

// Why writes, for each unit q names, the chains that require it and, for a unit that
// would be built, what changed since the last build.
func (v *View) Why(w io.Writer, q string, opts WhyOptions) error {
	nodes := v.Find(q)
	if len(nodes) == 0 {
		for _, p := range opts.Members {
			if q == p.Name || q == p.Name+"@"+p.Version || q == p.ID {
				return fmt.Errorf("--why %s: package %s is a workspace member that this command does not select; add -p %s (or --workspace)", q, p.Name, p.Name)
			}
		}
		return fmt.Errorf("--why %s: no unit or package of this graph has that name (try a package name, name@version, or a key from graph --json)", q)
	}
	var b strings.Builder
	for i, n := range nodes {
		if i > 0 {
			b.WriteString("\n")
		}
		v.writeWhy(&b, n, opts)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (v *View) writeWhy(b *strings.Builder, n *Node, opts WhyOptions) {
	status := map[Status]string{StatusCached: " — in the store", StatusToBuild: " — to build"}[n.Status]
	fmt.Fprintf(b, "%s [%s]%s\n", n.Label, n.Key, status)
	chains := v.Chains(n)
	switch {
	case n.IsRoot:
		b.WriteString("  a root: the command line selects it\n")
	case len(chains) == 0:
		b.WriteString("  no root needs it\n")
	}
	shown := 0
	for _, c := range chains {
		if len(c) == 1 {
			continue // the unit is a root itself
		}
		if shown == maxChains {
			fmt.Fprintf(b, "  … and more roots need it\n")
			break
		}
		if shown == 0 {
			b.WriteString("  needed by (shortest chain from each root):\n")
		}
		shown++
		for k, m := range c {
			arrow := "    "
			if k > 0 {
				arrow = "      → "
			}
			fmt.Fprintf(b, "%s%s\n", arrow, m.Label)
		}
	}
	if n.Status != StatusToBuild || opts.Explain == nil {
		return
	}
	reasons := opts.Explain(n.Key)
	if len(reasons) == 0 {
		return
	}
	b.WriteString("  would be built because:\n")
	for _, r := range reasons {
		fmt.Fprintf(b, "    %s\n", r)
	}
}
