package plan

import (
	"fmt"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/derivation"
)

// Derive writes every node's derivation (in memory), dependencies first: the
// refs of its job become its dependencies' outputs (store paths, or Nix's
// placeholders when content-addressed) and its source's store path. Every
// source must have its Path. Runs on the host get none. A source the flake
// fetches (Input.Fetched) is the output of its unpacking derivation, an input
// derivation of the units reading it (p.Fetches); any other is an input source.
func (p *Plan) Derive(opts derivation.Options) error {
	w := derivation.NewWriter(opts)
	f := &fetcher{w: w, in: p.Input, fetches: map[*Source]*Fetch{}}
	for _, n := range p.derived() {
		enc, err := n.Job.Encode()
		if err != nil {
			return err
		}
		enc = n.Replacer(func(d *Node) string { return d.Drv.Ref }, func(s *Source) string { return s.Path }).Replace(enc)
		srcs := append([]string{}, n.Store...)
		deps := make([]*derivation.Drv, len(n.Deps))
		for k, d := range n.Deps {
			deps[k] = d.Drv
		}
		if n.Source != nil {
			if n.Source.Path == "" {
				return fmt.Errorf("unit %s: the store path of %s is not known", n, n.Source.Name)
			}
			fe, err := f.fetch(n)
			if err != nil {
				return fmt.Errorf("unit %s: %w", n, err)
			}
			if fe != nil {
				deps = append(deps, fe.Unpack)
			} else {
				srcs = append(srcs, n.Source.Path)
			}
		}
		if n.Drv, err = w.Write(n.Name, enc, srcs, deps); err != nil {
			return fmt.Errorf("unit %s: %w", n, err)
		}
		n.Out = n.Drv.Out
	}
	p.Fetches = f.list()
	return nil
}

// Drvs lists every unit's derivation of the plan, dependencies first, the
// result last; the fetched sources' derivations are p.Fetches'.
func (p *Plan) Drvs() []*derivation.Drv {
	nodes := p.derived()
	out := make([]*derivation.Drv, 0, len(nodes))
	for _, n := range nodes {
		out = append(out, n.Drv)
	}
	return out
}

// derived lists the nodes that have derivations: the units, the sandboxed
// test runs, the result last.
func (p *Plan) derived() []*Node {
	nodes := make([]*Node, 0, len(p.Nodes)+len(p.Runs)+1)
	nodes = append(nodes, p.Nodes...)
	for _, r := range p.Runs {
		if !r.Run.OnHost {
			nodes = append(nodes, r)
		}
	}
	return append(nodes, p.Result)
}
