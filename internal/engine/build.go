package engine

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/nixbuild"
)

// Report says what a build did.
type Report struct {
	Out        string   // the result's store path
	Units      int      // unit derivations in the plan
	Registered int      // derivations added to the store by this run
	Built      []string // units whose builders ran
	CutOff     int      // CA units resolved to an existing result (early cutoff)
	Elapsed    time.Duration
	// Profile and ProfileTraits describe the roots' profile as Cargo's "Finished"
	// line does: `dev`, "unoptimized + debuginfo".
	Profile, ProfileTraits string
}

// Cached is how many units were neither built nor cut off: already in the store.
func (r *Report) Cached() int { return r.Units - len(r.Built) - r.CutOff }

// Build realises the plan's root with `nix build`, printing progress as Cargo does.
func (p *Plan) Build(ctx context.Context, cfg *Config, registered int, start time.Time) (*Report, error) {
	labels := map[string]string{}
	for i := range p.Graph.Units {
		labels[p.Units[i].Name] = p.Graph.Units[i].String()
	}
	labels[p.Root.Name] = ""
	t := nixbuild.NewTracker()
	t.OnStart = func(drv string) {
		if l := labels[nixbuild.DrvName(drv)]; l != "" {
			fmt.Fprintf(cfg.Stderr, "%12s %s\n", "Compiling", l)
		}
	}
	if cfg.BuildLogs {
		t.OnLog = func(drv, line string) { fmt.Fprintf(cfg.Stderr, "%s> %s\n", nixbuild.DrvName(drv), line) }
	}
	opts := nixbuild.Options{
		Nix:          cfg.Nix,
		Installables: []string{p.Root.Path + "^out"},
		OutLink:      cfg.OutLink,
		NoLink:       cfg.NoLink,
		MaxJobs:      cfg.MaxJobs,
		KeepGoing:    cfg.KeepGoing,
	}
	if !p.Toolchain.InStore {
		opts.NixOptions = append(opts.NixOptions, [2]string{"extra-sandbox-paths", strings.Join(p.Toolchain.SandboxPaths, " ")})
	}
	res, err := nixbuild.Run(ctx, opts, t)
	if err != nil {
		if ctx.Err() != nil {
			return nil, p.interrupted(t, err)
		}
		return nil, p.explainFailure(t, err)
	}
	r := &Report{Units: len(p.Units), Registered: registered, CutOff: len(t.CutOff()), Elapsed: time.Since(start)}
	if len(p.Graph.Roots) > 0 {
		prof := p.Graph.Units[p.Graph.Roots[0]].Profile
		r.Profile, r.ProfileTraits = prof.Name, "unoptimized"
		if prof.OptLevel != "0" {
			r.ProfileTraits = "optimized"
		}
		if prof.Debuginfo != "0" && prof.Debuginfo != "" {
			r.ProfileTraits += " + debuginfo"
		}
	}
	for _, drv := range t.Built {
		if l := labels[nixbuild.DrvName(drv)]; l != "" {
			r.Built = append(r.Built, l)
		}
	}
	if len(res.OutPaths) > 0 {
		r.Out = res.OutPaths[0]
	}
	return r, nil
}

// explainFailure names the failing units and shows their logs (rustc's diagnostics,
// a build script's stderr) instead of Nix's last-ten-lines summary.
func (p *Plan) explainFailure(t *nixbuild.Tracker, err error) error {
	failed := t.FailedDrvs()
	if len(failed) == 0 {
		msg := err.Error()
		if !p.Toolchain.InStore && strings.Contains(msg, "No such file or directory") {
			msg += fmt.Sprintf("\nnote: rustc lives outside the Nix store; builds need `sandbox = false`, or these directories in `extra-sandbox-paths` (cargo-nix-unit passes them, but only a trusted user may): %s",
				strings.Join(p.Toolchain.SandboxPaths, " "))
		}
		return fmt.Errorf("%s", msg)
	}
	var b strings.Builder
	for k, drv := range failed {
		if k > 0 {
			b.WriteString("\n")
		}
		name := nixbuild.DrvName(drv)
		label := name
		for i := range p.Graph.Units {
			if p.Units[i].Name == name {
				label = p.Graph.Units[i].String()
			}
		}
		fmt.Fprintf(&b, "could not build %s\n", label)
		for _, l := range t.Logs[drv] {
			fmt.Fprintf(&b, "%s\n", l)
		}
		fmt.Fprintf(&b, "derivation: %s\nfull log: nix log %s", drv, drv)
	}
	return &BuildError{Msg: b.String()}
}

// interrupted says how far the build got when it was cancelled: every unit but
// the builds Nix still expected (the root's included) is done. With CA
// derivations Nix may still expect units that will resolve to existing results,
// so the count errs low.
func (p *Plan) interrupted(t *nixbuild.Tracker, err error) error {
	ie := &InterruptedError{Stage: "building", Total: len(p.Units), Done: -1, Err: err}
	if t.Expected > 0 {
		ie.Done = min(max(len(p.Units)+1-(t.Expected-t.Done), 0), len(p.Units))
	}
	return ie
}

// InterruptedError is a run cancelled by a signal; what Nix finished stays in the
// store, so the next run continues from there.
type InterruptedError struct {
	Stage       string // "building"
	Done, Total int    // units built (now or before); Done is -1 when unknown
	Err         error
}

func (e *InterruptedError) Error() string {
	if e.Done < 0 {
		return fmt.Sprintf("interrupted while %s; run the command again to continue", e.Stage)
	}
	return fmt.Sprintf("interrupted while %s (%d of %d units done); run the command again to continue", e.Stage, e.Done, e.Total)
}

func (e *InterruptedError) Unwrap() error { return e.Err }

// BuildError is a failed unit build; the command exits with Cargo's status 101.
type BuildError struct{ Msg string }

func (e *BuildError) Error() string { return e.Msg }

// PrintSummary writes Cargo's closing line and the unit counts.
func (r *Report) PrintSummary(w io.Writer) {
	fmt.Fprintf(w, "%12s `%s` profile [%s] target(s) in %.2fs\n", "Finished", r.Profile, r.ProfileTraits, r.Elapsed.Seconds())
	fmt.Fprintf(w, "%d units: %d built, %d cached", r.Units, len(r.Built), r.Cached())
	if r.CutOff > 0 {
		fmt.Fprintf(w, ", %d cut off early", r.CutOff)
	}
	fmt.Fprintln(w)
}
