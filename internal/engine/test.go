package engine

import (
	"context"
	"fmt"
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
	var args []string
	if t := cfg.Gather.Test; t != nil {
		args = t.Args
	}
	var failed []*plan.Run
	for _, n := range runs {
		exe := ""
		if n.Run.Test != nil {
			exe = s.exe(out, n.Run.Test)
		}
		var f *report.RunFailure
		switch log, failedRun := logs[n]; {
		case n.Run.OnHost:
			report.RunHeader(pr, n, exe, false)
			if f, err = testrun.Host(ctx, n, func(d *plan.Node) string { return d.Out }, cfg.Stdout, pr); err != nil {
				return err
			}
		case failedRun:
			report.RunHeader(pr, n, exe, false)
			output, how, ok := report.FailedOutput(log)
			if !ok {
				return report.Failed([]report.Failure{{Label: n.String() + " run", Drv: n.Drv.Path, Log: log}}, pr.Color)
			}
			for _, l := range output {
				fmt.Fprintln(cfg.Stdout, l)
			}
			f = &how
		default:
			report.RunHeader(pr, n, exe, n.Status != plan.StatusBuilt)
			if err := report.Replay(cfg.Stdout, pr, n.Out); err != nil {
				return fmt.Errorf("unit %s: %w", n, err)
			}
		}
		if f == nil {
			continue
		}
		e := report.TestFailed(n.Run, *f, args)
		if !opts.NoFailFast {
			return e
		}
		pr.Error(e.Msg)
		failed = append(failed, n.Run)
	}
	if len(failed) > 0 {
		return report.TestsFailed(failed)
	}
	return nil
}
