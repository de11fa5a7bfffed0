package engine

import (
	"context"
	"path/filepath"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/report"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testrun"
)

// TestOptions are test's flags that are not the plan's (cfg.Gather.Test has those).
type TestOptions struct {
	NoFailFast bool
}

// Test builds what `cargo test` builds as Build does, then makes the test
// runs: each a derivation, built (run) only when its inputs changed, every
// one even after a failure; the runs on the host run now. Then it shows each
// run's output in Cargo's order, stopping at the first failure unless
// NoFailFast, as `cargo test` does.
func Test(ctx context.Context, cfg *Config, opts TestOptions) error {
	s := newSession(cfg)
	defer s.end()
	out, err := s.build(ctx, false)
	if err != nil || cfg.DryRun {
		return s.interruption(ctx, err)
	}
	if t := cfg.Gather.Test; t != nil && t.NoRun {
		for _, n := range s.plan.Tests() {
			report.Executable(cfg.printer(), plan.RunDescription(n.Unit), s.exe(out, n))
		}
		return nil
	}
	err = s.test(ctx, out, opts)
	return s.interruption(ctx, err)
}

// exe is where the user finds test unit n's executable: in the result link,
// or the result's store path without one.
func (s *session) exe(out string, n *plan.Node) string {
	return filepath.Join(s.cfg.resultBase(out), plan.TestPath(n))
}

func (s *session) test(ctx context.Context, out string, opts TestOptions) error {
	cfg, runs := s.cfg, s.plan.Runs
	pr := cfg.printer()
	s.stage = "running tests"
	var sandboxed []*plan.Node
	onHost := false
	for _, n := range runs {
		if n.Run.OnHost {
			onHost = true
		} else {
			sandboxed = append(sandboxed, n)
		}
	}
	logs, err := s.realiseRuns(ctx, sandboxed)
	if err != nil {
		return err
	}
	report.RunsSummary(pr, runs)
	if onHost {
		// Runs on the host name the units' outputs, known for
		// content-addressed units only once asked.
		if _, err := s.resolveOutputs(ctx); err != nil {
			return err
		}
	}
	show := testrun.Options{Stdout: cfg.Stdout, Printer: pr, NoFailFast: opts.NoFailFast,
		Exe: func(test *plan.Node) string { return s.exe(out, test) }}
	if t := cfg.Gather.Test; t != nil {
		show.Args = t.Args
	}
	return testrun.Show(ctx, runs, logs, show)
}
