package engine

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/nixbuild"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
)

// realiseRuns builds the test runs' derivations: a run whose inputs did not
// change is in the store already and does not run. Every run is built even
// after another failed (--keep-going): runs are independent, and each
// passing one is kept for the next time. It sets each run's Status, and Out
// of the passing ones, and returns the build logs of the failed ones.
func (s *session) realiseRuns(ctx context.Context, runs []*plan.Node) (map[*plan.Node][]string, error) {
	if len(runs) == 0 {
		return nil, nil
	}
	start := time.Now()
	defer func() { s.timings.Build += time.Since(start) }()
	// Most runs are usually in the store already: no nix build for them.
	if err := s.runOutputs(ctx, runs); err != nil {
		return nil, err
	}
	var todo []*plan.Node
	for _, n := range runs {
		if n.Out == "" {
			todo = append(todo, n)
		}
	}
	if len(todo) == 0 {
		return nil, nil
	}
	logs, err := s.buildRuns(ctx, todo)
	if err != nil {
		return nil, err
	}
	var passed []*plan.Node
	for _, n := range todo {
		if n.Status != plan.StatusFailed {
			passed = append(passed, n)
		}
	}
	if err := s.runOutputs(ctx, passed); err != nil {
		return nil, err
	}
	for _, n := range passed {
		if n.Out == "" {
			return nil, fmt.Errorf("unit %s: the test run's output is not in the store after its build", n)
		}
	}
	return logs, nil
}

// runOutputs sets the Out of the runs whose outputs the store holds (for
// input-addressed ones known, content-addressed ones asked), and marks them
// cached.
func (s *session) runOutputs(ctx context.Context, runs []*plan.Node) error {
	if len(runs) == 0 {
		return nil
	}
	st, err := s.queryOutputs(ctx, runs)
	if err != nil {
		return err
	}
	for _, n := range runs {
		n.Out = ""
		if st.Cached[n.Drv.Path] {
			n.Out = st.Out[n.Drv.Path]
			if n.Status == plan.StatusUnknown {
				n.Status = plan.StatusCached
			}
		}
	}
	return nil
}

// buildRuns runs nix build on runs, and sets their Status: built, cut off
// (content-addressed: resolved to an existing result), or failed, whose
// build logs it returns.
func (s *session) buildRuns(ctx context.Context, runs []*plan.Node) (map[*plan.Node][]string, error) {
	cfg := s.cfg
	pr := cfg.printer()
	installables := make([]string, 0, len(runs))
	for _, n := range runs {
		installables = append(installables, n.Drv.Path+"^out")
	}
	t, byDrv, nodeOf := s.tracker(runs, false)
	bar := func() {
		pr.Progress("Testing", t.Progress[0], t.Progress[1], running(t, nodeOf, func(n *plan.Node) string { return n.Name }))
	}
	t.OnStart = func(string) { bar() }
	t.OnStop = func(string) { bar() }
	t.OnProgress = bar
	opts := nixbuild.Options{Nix: cfg.Nix, Installables: installables, NoLink: true, MaxJobs: cfg.MaxJobs, KeepGoing: true}
	if paths := s.sandboxPaths(); len(paths) > 0 {
		opts.NixOptions = append(opts.NixOptions, [2]string{"extra-sandbox-paths", strings.Join(paths, " ")})
	}
	_, err := nixbuild.Run(ctx, opts, t)
	pr.Done()
	if err != nil && ctx.Err() != nil {
		return nil, &InterruptedError{Stage: "running tests", Done: -1, Err: err}
	}
	logs := map[*plan.Node][]string{}
	for _, drv := range t.FailedDrvs() {
		if n := nodeOf(drv); n != nil {
			n.Status, logs[n] = plan.StatusFailed, t.Logs[drv]
		}
	}
	if err != nil && len(logs) == 0 {
		return nil, err // not a run that failed: Nix's own trouble
	}
	for _, drv := range t.Built {
		if n := nodeOf(drv); n != nil && n.Status != plan.StatusFailed {
			n.Status, n.Time = plan.StatusBuilt, t.Duration[drv]
		}
	}
	for _, drv := range t.CutOff() {
		if n := byDrv[drv]; n != nil && n.Status == plan.StatusCached {
			n.Status = plan.StatusCutOff
		}
	}
	return logs, nil
}
