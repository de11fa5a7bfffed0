package testrun

import (
	"context"
	"fmt"
	"io"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/report"
)

// Options say how to show the test runs.
type Options struct {
	Stdout  io.Writer
	Printer *report.Printer
	// Exe is where the user finds a test unit's executable.
	Exe func(test *plan.Node) string
	// Args are the arguments after `--` (the harness's), for a failure's hint.
	Args       []string
	NoFailFast bool
}

// Show shows each test run in Cargo's order, as `cargo test` does: a
// sandboxed run's output from its store path (built now, or cached) or, when
// it failed, from its build log (logs); a run on the host runs now. It stops
// at the first failure unless NoFailFast, which reports every failure at the
// end. The sandboxed runs that passed must have Out.
func Show(ctx context.Context, runs []*plan.Node, logs map[*plan.Node][]string, s Options) error {
	pr := s.Printer
	var failed []*plan.Run
	for _, n := range runs {
		exe := ""
		if n.Run.Test != nil {
			exe = s.Exe(n.Run.Test)
		}
		var f *report.RunFailure
		switch log, failedRun := logs[n]; {
		case n.Run.OnHost:
			report.RunHeader(pr, n, exe, false)
			var err error
			if f, err = Host(ctx, n, func(d *plan.Node) string { return d.Out }, s.Stdout, pr); err != nil {
				return err
			}
		case failedRun:
			report.RunHeader(pr, n, exe, false)
			output, how, ok := report.FailedOutput(log)
			if !ok {
				return report.Failed([]report.Failure{{Label: n.String() + " run", Drv: n.Drv.Path, Log: log}}, pr.Color)
			}
			for _, l := range output {
				fmt.Fprintln(s.Stdout, l)
			}
			f = &how
		default:
			report.RunHeader(pr, n, exe, n.Status != plan.StatusBuilt)
			if err := report.Replay(s.Stdout, pr, n.Out); err != nil {
				return fmt.Errorf("unit %s: %w", n, err)
			}
		}
		if f == nil {
			continue
		}
		e := report.TestFailed(n.Run, *f, s.Args)
		if !s.NoFailFast {
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
