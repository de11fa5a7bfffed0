package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/derivation"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/gather"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
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
	timings  timings
}

// timings split the tool's time between Cargo's answers, its own planning,
// registration and nix build.
type timings struct {
	cargo, plan, register, build time.Duration
	added                        int // derivations registered by this run
	// builders sums the phases of the builders that ran (job.Timings).
	builders job.Timings
}

func newSession(cfg *Config) *session {
	return &session{cfg: cfg, stage: "starting", timings: timings{builders: job.Timings{}}}
}

// open connects to the store as cfg.StoreClient says and decides whether
// derivations are content-addressed.
func (s *session) open(ctx context.Context) error {
	s.stage = "connecting to the Nix store"
	st, closeStore, err := openStore(ctx, s.cfg)
	if err != nil {
		return err
	}
	s.store, s.close = st, closeStore
	if s.ca, err = resolveCA(ctx, s.cfg.CAMode, st, s.cfg.System); err != nil {
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
	s.timings.cargo, s.timings.plan = g.Cargo, time.Since(start)-g.Cargo
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
	s.timings.added += added
	s.timings.register += time.Since(start)
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

// openStore connects to the store as cfg.StoreClient says; auto falls back to
// the nix CLI, with a notice, when the daemon protocol is not available.
func openStore(ctx context.Context, cfg *Config) (store.Store, func() error, error) {
	if cfg.StoreClient != "cli" {
		d, err := daemon.Open(ctx, cfg.Nix, store.Features, cfg.Stderr)
		if err == nil {
			return d, d.Close, nil
		}
		// An unreachable daemon or a read-only store fails nix derivation add
		// too: one error, no notice.
		var ue *daemon.UnreachableError
		var ro *store.ReadOnlyError
		if err = store.ReadOnly(err); cfg.StoreClient == "daemon" || errors.As(err, &ue) || errors.As(err, &ro) {
			return nil, nil, err
		}
		// The reason may follow on the next lines (a spawned daemon's stderr).
		reason := strings.Join(strings.Fields(err.Error()), " ")
		fmt.Fprintf(cfg.Stderr, "%12s cannot use the Nix daemon protocol (%s); using nix derivation add\n", "Note", reason)
	}
	// A daemon socket NIX_REMOTE names that nobody answers fails every `nix`
	// call: the daemon client's one error, not Nix's two lines per call.
	if err := daemon.CheckSocket(daemon.ResolveAddress(os.Getenv)); err != nil {
		return nil, nil, err
	}
	st, err := store.NewCLI(ctx, cfg.Nix)
	if err != nil {
		return nil, nil, err
	}
	return st, func() error { return nil }, nil
}

// resolveCA decides from mode whether derivations are content-addressed;
// `auto` probes the store, which decides whether it accepts floating
// content-addressed derivations. build and graph share it, so graph shows the
// derivation paths build registers.
func resolveCA(ctx context.Context, mode string, st store.Store, system string) (bool, error) {
	switch mode {
	case "on":
		return true, nil
	case "off":
		return false, nil
	case "auto", "":
		return store.ProbeCA(ctx, st, system, "")
	}
	return false, fmt.Errorf("--content-addressed=%s: want auto, on or off", mode)
}
