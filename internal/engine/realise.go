package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/nixbuild"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/report"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/run"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/share"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/store"
)

// realise builds the plan's result with `nix build`, printing progress as
// Cargo does, and sets every node's status and build time. It returns the
// result's store path. A garbage collection that took registered derivations
// before the build started is survived: they are registered again.
func (s *session) realise(ctx context.Context) (string, error) {
	s.stage = "building"
	start := time.Now()
	defer func() { s.timings.Build += time.Since(start) }()
	out, err := s.nixBuild(ctx)
	var failed *report.BuildError
	if err != nil && !errors.As(err, &failed) && ctx.Err() == nil && store.Collected(err) {
		fmt.Fprintf(s.cfg.Stderr, "warning: derivations were garbage-collected before the build started; registering them again\n")
		if err := s.register(ctx); err != nil {
			return "", err
		}
		s.stage = "building"
		out, err = s.nixBuild(ctx)
	}
	return out, err
}

func (s *session) nixBuild(ctx context.Context) (string, error) {
	cfg, p := s.cfg, s.plan
	pr := cfg.printer()
	t, byDrv, nodeOf := s.tracker(p.Nodes, true)
	bar := func() {
		pr.Bar(t.Progress[0], t.Progress[1], running(t, nodeOf, func(n *plan.Node) string { return n.Unit.Package.Name }))
	}
	t.OnStart = func(drv string) {
		if n := nodeOf(drv); n != nil {
			pr.Status(report.Verb(n), n.String())
			if pr.Verbose {
				pr.Status("Running", "`"+run.Quote(n.Command())+"`")
			}
		}
		bar()
	}
	t.OnStop = func(string) { bar() }
	t.OnProgress = bar
	opts := nixbuild.Options{
		Nix:          cfg.Nix,
		Installables: []string{p.Result.Drv.Path + "^out"},
		OutLink:      cfg.OutLink,
		NoLink:       cfg.NoLink,
		MaxJobs:      cfg.MaxJobs,
		KeepGoing:    cfg.KeepGoing,
	}
	paths := s.sandboxPaths()
	if mount := s.incrementalMount(); mount != "" {
		paths = append(paths, mount)
	}
	if len(paths) > 0 {
		opts.NixOptions = append(opts.NixOptions, [2]string{"extra-sandbox-paths", strings.Join(paths, " ")})
	}
	res, err := nixbuild.Run(ctx, opts, t)
	pr.Done()
	if err != nil && ctx.Err() == nil {
		if line, ok := nixbuild.BuilderFailure(err.Error()); ok {
			if line == nixbuild.NoMachine {
				pr.Notes(share.Notices(t.Warnings)) // which requirements no builder met
			}
			return "", fmt.Errorf("%s", line)
		}
	}
	// Nix's warnings (an unreachable substituter, unsigned substitutes, ...):
	// Nix builds what a substituter failed to supply, so none stops the build.
	pr.Notes(share.Notices(t.Warnings))
	if err != nil {
		if ctx.Err() != nil {
			return "", s.interrupted(t, err)
		}
		return "", s.explainFailure(t, err, nodeOf, pr.Color)
	}
	for _, drv := range t.Built {
		if n := nodeOf(drv); n != nil {
			n.Status, n.Time = plan.StatusBuilt, t.Duration[drv]
		}
		for phase, secs := range t.Timings[drv] {
			s.timings.Builders[phase] += secs
		}
	}
	for _, drv := range t.CutOff() {
		if n := byDrv[drv]; n != nil {
			n.Status = plan.StatusCutOff
		}
	}
	share.MarkSubstituted(p.Nodes, t.Substituted)
	if len(res.OutPaths) == 0 {
		return "", fmt.Errorf("nix build printed no output path for %s", p.Result.Drv.Path)
	}
	p.Result.Out = res.OutPaths[0]
	if s.ca {
		resolve := func() error { _, err := s.resolveOutputs(ctx); return err }
		if note := share.MissingRealisations(ctx, cfg.Nix, p.Nodes, t.Warnings, resolve); note != "" {
			pr.Status("Note", note)
		}
	}
	return p.Result.Out, nil
}

// sandboxPaths are the host paths the builds need: the system's (and a host
// toolchain's), and those declared as native inputs of the packages built.
func (s *session) sandboxPaths() []string {
	var paths []string
	if tc := s.gathered.Toolchain; !tc.InStore {
		paths = append(paths, tc.SandboxPaths...)
	}
	return append(paths, s.plan.HostPaths...)
}

// explainFailure names the failing units and shows their logs
// (report.FailedBuilds), or says what Nix's own error means.
func (s *session) explainFailure(t *nixbuild.Tracker, err error, nodeOf func(string) *plan.Node, color bool) error {
	failed := t.FailedDrvs()
	if len(failed) == 0 {
		msg := err.Error()
		if _, reason, ok := strings.Cut(msg, "error: "+nixDaemonLost); ok {
			done := ""
			if d := s.interrupted(t, err).(*InterruptedError); d.Done >= 0 {
				done = fmt.Sprintf(" (%d of %d units done)", d.Done, d.Total)
			}
			reason, _, _ = strings.Cut(reason, "\n")
			return fmt.Errorf("lost the connection to the Nix daemon while building%s: %s%s; once it runs again, run the command again to continue", done, nixDaemonLost, reason)
		}
		if tc := s.gathered.Toolchain; !tc.InStore && strings.Contains(msg, "No such file or directory") {
			msg += fmt.Sprintf("\nnote: %s; builds need `sandbox = false`, or these directories in `extra-sandbox-paths` (cargo-nix-unit passes them, but only a trusted user may): %s",
				tc.HostUse(), strings.Join(tc.SandboxPaths, " "))
		}
		return fmt.Errorf("%s", msg)
	}
	return report.FailedBuilds(failed, t.Logs, nodeOf, nixbuild.DrvName, s.plan.Input.Graph.Workspace.WorkspaceRoot, color)
}

// nixDaemonLost is how Nix 2.26 reports a daemon that died during a build
// (nix: libstore/remote-store.cc).
const nixDaemonLost = "Nix daemon disconnected unexpectedly"

// interrupted says how far the build got when it was cancelled: every unit but
// the builds Nix still expected (the result's included) is done. With CA
// derivations Nix may still expect units that will resolve to existing results,
// so the count errs low.
func (s *session) interrupted(t *nixbuild.Tracker, err error) error {
	total := len(s.plan.Nodes)
	ie := &InterruptedError{Stage: "building", Total: total, Done: -1, Err: err}
	if done, expected := t.Progress[0], t.Progress[1]; expected > 0 {
		ie.Done = min(max(total+1-(expected-done), 0), total)
	}
	return ie
}
