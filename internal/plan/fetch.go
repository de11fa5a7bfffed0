package plan

import (
	"fmt"
	"sort"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/derivation"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
)

// Fetch is a registry crate's source made as the flake makes it
// (nix/build-workspace.nix, fromRegistry): the .crate fetched by its
// Cargo.lock checksum (builtin:fetchurl, a flat fixed-output derivation),
// then unpacked by the builder into exactly the source's files (a recursive
// fixed-output derivation whose output is the source's store path). Units
// reading the source take the unpacking derivation as an input derivation,
// so their derivations are the flake's. Both outputs are known in advance:
// the CLI adds them to the store from Cargo's own copies, and Nix runs
// neither.
type Fetch struct {
	Source *Source
	Origin *Origin
	Crate  *derivation.Drv // the .crate, output named <name>-<version>.crate
	Unpack *derivation.Drv // the unpacked files; its output is Source.Path
}

// Fetched is the origin of the package id's source when that source is
// fetched (a registry crate with a checksum and a download URL), nil when it
// is an input source (a path package, a directory source, git, or a registry
// crate whose .crate the flake could not fetch).
func (in *Input) Fetched(id string) *Origin {
	o := in.Origins[id]
	if o == nil || o.Kind != "registry" || o.Checksum == "" || o.URL == "" {
		return nil
	}
	return o
}

// fetcher writes each fetched source's two derivations once.
type fetcher struct {
	w       *derivation.Writer
	in      *Input
	fetches map[*Source]*Fetch
}

// fetch returns the derivations making n's source, nil when it is an input
// source.
func (f *fetcher) fetch(n *Node) (*Fetch, error) {
	if n.Source == nil || n.Unit == nil {
		return nil, nil
	}
	o := f.in.Fetched(n.Unit.Package.ID)
	if o == nil {
		return nil, nil
	}
	if fe := f.fetches[n.Source]; fe != nil {
		return fe, nil
	}
	pkg := n.Unit.Package
	s := n.Source
	crate, err := derivation.FetchURL(pkg.Name+"-"+pkg.Version+".crate", o.URL, o.Checksum)
	if err != nil {
		return nil, fmt.Errorf("package %s %s: %w", pkg.Name, pkg.Version, err)
	}
	enc, err := job.UnpackJob(s.Name, crate.Out, pkg.Name+"-"+pkg.Version+"/", s.Files)
	if err != nil {
		return nil, err
	}
	unpack, err := f.w.Unpack(s.Name, enc, s.NarHash, []*derivation.Drv{crate})
	if err != nil {
		return nil, fmt.Errorf("package %s %s: %w", pkg.Name, pkg.Version, err)
	}
	if unpack.Out != s.Path {
		return nil, fmt.Errorf("package %s %s: the unpacked crate would be %s, its source is %s", pkg.Name, pkg.Version, unpack.Out, s.Path)
	}
	fe := &Fetch{Source: s, Origin: o, Crate: crate, Unpack: unpack}
	f.fetches[s] = fe
	return fe, nil
}

// list is every Fetch, sorted by source name.
func (f *fetcher) list() []*Fetch {
	out := make([]*Fetch, 0, len(f.fetches))
	for _, fe := range f.fetches {
		out = append(out, fe)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Source.Name < out[b].Source.Name })
	return out
}

// FetchPaths are the store paths the fetched sources add: each .crate (the
// fetch's output) and the two derivations. The unpacked tree is one of the
// gathered trees.
func (p *Plan) FetchPaths() []string {
	var paths []string
	for _, f := range p.Fetches {
		paths = append(paths, f.Crate.Out, f.Crate.Path, f.Unpack.Path)
	}
	return paths
}

// FetchDrvs are the fetched sources' derivations, each fetch before its
// unpacking: registered before the units naming them.
func (p *Plan) FetchDrvs() []*derivation.Drv {
	var drvs []*derivation.Drv
	for _, f := range p.Fetches {
		drvs = append(drvs, f.Crate, f.Unpack)
	}
	return drvs
}
