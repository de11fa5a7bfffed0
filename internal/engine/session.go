package engine

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/derivation"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/gather"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/report"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/source"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/store"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/store/daemon"
)

// session is one command's way through the stages. Its store stays open until
// the command ends: the daemon connection roots what registration added.
type session struct {
	cfg   *Config
	stage string // what the command is doing, for an interruption's message
	store store.Store
	close func() error
	ca    bool

	gathered *gather.Result
	plan     *plan.Plan
	timings  report.Timings
}

func newSession(cfg *Config) *session {
	return &session{cfg: cfg, stage: "starting", timings: report.Timings{Builders: job.Timings{}}}
}

// open connects to the store as cfg.StoreClient says and decides whether
// derivations are content-addressed.
func (s *session) open(ctx context.Context) error {
	s.stage = "connecting to the Nix store"
	st, closeStore, err := daemon.OpenStore(ctx, s.cfg.StoreClient, s.cfg.Nix, s.cfg.Stderr)
	if err != nil {
		return err
	}
	s.store, s.close = st, closeStore
	if s.ca, err = store.ResolveCA(ctx, s.cfg.CAMode, st, s.cfg.System); err != nil {
		return store.ReadOnly(err)
	}
	return nil
}

func (s *session) end() {
	if s.close != nil {
		s.close()
	}
}

// prepare gathers the inputs, plans and writes every derivation (in memory).
func (s *session) prepare(ctx context.Context) error {
	s.stage = "asking Cargo for the unit graph and planning"
	start := time.Now()
	g, err := gather.Gather(ctx, &s.cfg.Gather)
	if err != nil {
		return err
	}
	p, err := plan.New(g.Input)
	if err != nil {
		return err
	}
	opts := derivation.Options{CA: s.ca, System: s.cfg.System, Builder: g.Builder.Path, InputSrcs: g.Toolchain.StorePaths}
	if err := p.Derive(opts); err != nil {
		return err
	}
	s.gathered, s.plan = g, p
	s.timings.Cargo, s.timings.Plan = g.Cargo, time.Since(start)-g.Cargo
	return nil
}

// register adds what the store lacks: sources, the builder, then derivations in
// dependency order. A garbage collection in between is noticed and survived.
func (s *session) register(ctx context.Context) error {
	s.stage = "registering derivations"
	start := time.Now()
	added, err := s.add(ctx)
	if store.Collected(err) {
		fmt.Fprintf(s.cfg.Stderr, "warning: a derivation was garbage-collected during registration; registering again\n")
		added, err = s.add(ctx)
	}
	s.timings.Added += added
	s.timings.Register += time.Since(start)
	return store.ReadOnly(err)
}

func (s *session) add(ctx context.Context) (int, error) {
	builder := s.gathered.Builder
	// The toolchain's store copy (if any) and the sources, staged and added.
	trees := s.gathered.Trees
	if c := s.gathered.Toolchain.Copy; c != nil {
		trees = append([]*source.Tree{c}, trees...)
	}
	paths := []string{builder.Path}
	for _, t := range trees {
		paths = append(paths, t.Path)
	}
	paths = append(paths, s.plan.FetchPaths()...)
	drvs := append(s.plan.FetchDrvs(), s.plan.Drvs()...)
	for _, d := range drvs {
		paths = append(paths, d.Path)
	}
	valid, err := s.store.ValidPaths(ctx, paths)
	if err != nil {
		return 0, err
	}
	if !valid[builder.Path] {
		if err := s.store.AddPath(ctx, builder.Name, builder.Dir, builder.Path); err != nil {
			return 0, err
		}
	}
	tmp, err := os.MkdirTemp("", "cargo-nix-unit-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	for _, t := range trees {
		if valid[t.Path] {
			continue
		}
		staged, err := t.Stage(tmp)
		if err != nil {
			return 0, fmt.Errorf("staging %s: %w", t.Dir, err)
		}
		if err := s.store.AddPath(ctx, t.Name, staged, t.Path); err != nil {
			return 0, err
		}
	}
	// The .crate files the store lacks, from Cargo's cache (by checksum): Nix
	// needs neither fetch to build, since the unpacked tree is there, so a
	// .crate missing from Cargo's cache is left out.
	for _, f := range s.plan.Fetches {
		if file := s.gathered.Crates[f.Origin.Checksum]; file != "" && !valid[f.Crate.Out] {
			if err := store.AddCrate(ctx, s.store, f.Crate.Name, file, f.Crate.Out, f.Origin.Checksum); err != nil {
				return 0, err
			}
		}
	}
	added := 0
	for _, d := range drvs {
		if valid[d.Path] {
			continue
		}
		if err := s.store.AddDerivation(ctx, d.Drv, d.Path); err != nil {
			return added, err
		}
		added++
	}
	return added, nil
}
