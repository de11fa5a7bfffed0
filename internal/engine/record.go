package engine

import (
	"context"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/lastbuild"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/outputs"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
)

// record merges the plan's inputs into target/nix-unit/last-build.json, which
// `graph --why` compares with the plan of its time.
func (s *session) record() error {
	path := lastbuild.Path(s.plan.Input.Graph.Workspace.TargetDirectory)
	old, err := lastbuild.Load(path)
	if err != nil {
		old = nil // a damaged record is replaced
	}
	return lastbuild.Save(path, lastbuild.Merge(old, s.lastBuild()))
}

// lastBuild summarises the plan as the build record does.
func (s *session) lastBuild() *lastbuild.Record {
	tools := append([]string{s.gathered.Builder.Path}, s.gathered.Toolchain.StorePaths...)
	return lastbuild.FromPlan(s.plan, s.ca, tools)
}

// resolveOutputs asks the store what it holds of every unit: each node's Out
// (content-addressed outputs are known once realised) and whether the .drv is
// registered and the output valid.
func (s *session) resolveOutputs(ctx context.Context) (*outputs.Status, error) {
	st, err := s.queryOutputs(ctx, s.plan.Nodes)
	if err != nil {
		return nil, err
	}
	for _, n := range s.plan.Nodes {
		if out := st.Out[n.Drv.Path]; out != "" {
			n.Out = out
		}
	}
	return st, nil
}

// queryOutputs asks the store what it holds of nodes' derivations.
func (s *session) queryOutputs(ctx context.Context, nodes []*plan.Node) (*outputs.Status, error) {
	drvs := make([]outputs.Derivation, len(nodes))
	for i, n := range nodes {
		drvs[i] = outputs.Derivation{Path: n.Drv.Path, Out: n.Drv.Out}
	}
	return outputs.Query(ctx, s.store, s.cfg.Nix, drvs)
}

// Prepared is a plan whose derivations are written, and what the store holds
// of each unit.
type Prepared struct {
	Plan   *plan.Plan
	CA     bool
	Status *outputs.Status
	// LastBuild is the record of this plan, to compare with the last build's.
	LastBuild *lastbuild.Record
}

// Prepare plans and writes every derivation (in memory, registering none), and
// asks the store which of them and of their outputs it has: what `graph` shows.
func Prepare(ctx context.Context, cfg *Config) (*Prepared, error) {
	s := newSession(cfg)
	defer s.end()
	if err := s.open(ctx); err != nil {
		return nil, err
	}
	if err := s.prepare(ctx); err != nil {
		return nil, err
	}
	st, err := s.resolveOutputs(ctx)
	if err != nil {
		return nil, err
	}
	return &Prepared{Plan: s.plan, CA: s.ca, Status: st, LastBuild: s.lastBuild()}, nil
}
