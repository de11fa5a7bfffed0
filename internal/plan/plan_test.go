package plan

import (
	"slices"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

func TestPackageDirs(t *testing.T) {
	registry := "registry+https://example.invalid/index"
	pkg := func(manifest string, source *string) *unitgraph.Package {
		return &unitgraph.Package{ManifestPath: manifest, Source: source}
	}
	a, b := pkg("/w/a/Cargo.toml", nil), pkg("/w/b/Cargo.toml", nil)
	dep := pkg("/registry/dep-1.0.0/Cargo.toml", &registry)
	node := func(p *unitgraph.Package) *Node { return &Node{Unit: &unitgraph.Unit{Package: p}} }
	p := &Plan{Nodes: []*Node{node(b), node(dep), node(a), node(b)}}
	if got, want := p.PackageDirs(), []string{"/w/a", "/w/b"}; !slices.Equal(got, want) {
		t.Errorf("PackageDirs = %v, want %v", got, want)
	}
	if got := (&Plan{Nodes: []*Node{node(dep)}}).PackageDirs(); got != nil {
		t.Errorf("no path package: %v", got)
	}
}
