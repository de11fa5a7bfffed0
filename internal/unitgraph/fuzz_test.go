package unitgraph

import (
	"testing"
)

// FuzzParse: no unit graph or metadata makes Parse panic; what it accepts is a
// valid graph (every unit joined with its package, indices in range, acyclic).
// Seeds: the captured graph and testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	graph, md := load(f)
	f.Add(graph, md)
	f.Add([]byte(`{"version":1,"units":[],"roots":[]}`), []byte(`{"version":1,"packages":[null]}`))
	f.Fuzz(func(t *testing.T, graph, md []byte) {
		g, err := Parse(graph, md)
		if err != nil {
			return
		}
		for i := range g.Units {
			u := &g.Units[i]
			if u.Package == nil {
				t.Fatalf("unit %d has no package", i)
			}
			_ = u.String()
			for _, d := range u.Dependencies {
				if d.Index < 0 || d.Index >= len(g.Units) {
					t.Fatalf("unit %d: dependency %d out of range", i, d.Index)
				}
			}
		}
		for _, r := range g.Roots {
			if r < 0 || r >= len(g.Units) {
				t.Fatalf("root %d out of range", r)
			}
		}
		if _, err := g.TopoOrder(); err != nil {
			t.Fatalf("accepted a graph TopoOrder rejects: %v", err)
		}
	})
}
