package engine

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/nixbuild"
)

// Report says what a build did.
type Report struct {
	Out        string // the result's store path
	Units      int    // unit derivations in the plan
	Registered int    // derivations added to the store by this run
	Built      []int  // units whose builders ran, in start order
	CutOff     []int  // CA units resolved to an existing result (early cutoff)
	// Substituted are units whose outputs Nix fetched from a substituter.
	Substituted []int
	// Durations holds how long each built unit's build took.
	Durations map[int]time.Duration
	Elapsed   time.Duration
	// Profile and ProfileTraits describe the roots' profile as Cargo's "Finished"
	// line does: `dev`, "unoptimized + debuginfo".
	Profile, ProfileTraits string
}

// Cached is how many units were neither built nor cut off: already in the store.
func (r *Report) Cached() int { return r.Units - len(r.Built) - len(r.CutOff) - len(r.Substituted) }

// Build realises the plan's root with `nix build`, printing progress as Cargo does.
func (p *Plan) Build(ctx context.Context, cfg *Config, registered int, start time.Time) (*Report, error) {
	pr := cfg.printer()
	byName := map[string]int{}
	for i := range p.Graph.Units {
		byName[p.Units[i].Name] = i
	}
	unitOf := func(drv string) (int, bool) {
		i, ok := byName[nixbuild.DrvName(drv)]
		return i, ok
	}
	t := nixbuild.NewTracker()
	bar := func() {
		var running []string
		for _, drv := range t.Running {
			if i, ok := unitOf(drv); ok {
				running = append(running, p.Graph.Units[i].Package.Name)
			}
		}
		pr.Bar(t.Progress[0], t.Progress[1], running)
	}
	t.OnStart = func(drv string) {
		if i, ok := unitOf(drv); ok {
			pr.Status("Compiling", p.Graph.Units[i].String())
			if pr.Verbose {
				pr.Status("Running", "`"+p.commandLine(i)+"`")
			}
		}
		bar()
	}
	t.OnStop = func(string) { bar() }
	t.OnProgress = bar
	if cfg.BuildLogs {
		t.OnLog = func(drv, line string) {
			if !pr.Color {
				line = stripANSI(line)
			}
			pr.Line(nixbuild.DrvName(drv) + "> " + line)
		}
	}
	opts := nixbuild.Options{
		Nix:          cfg.Nix,
		Installables: []string{p.Root.Path + "^out"},
		OutLink:      cfg.OutLink,
		NoLink:       cfg.NoLink,
		MaxJobs:      cfg.MaxJobs,
		KeepGoing:    cfg.KeepGoing,
	}
	if paths := p.sandboxPaths(); len(paths) > 0 {
		opts.NixOptions = append(opts.NixOptions, [2]string{"extra-sandbox-paths", strings.Join(paths, " ")})
	}
	res, err := nixbuild.Run(ctx, opts, t)
	pr.Done()
	if err != nil && ctx.Err() == nil {
		if line, ok := nixbuild.BuilderFailure(err.Error()); ok {
			if line == nixbuild.NoMachine {
				printNotices(pr, t) // which requirements no builder met
			}
			return nil, fmt.Errorf("%s", line)
		}
	}
	printNotices(pr, t)
	if err != nil {
		if ctx.Err() != nil {
			return nil, p.interrupted(t, err)
		}
		return nil, p.explainFailure(t, err, pr.Color)
	}
	r := &Report{Units: len(p.Units), Registered: registered, Durations: map[int]time.Duration{}, Elapsed: time.Since(start)}
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
		if i, ok := unitOf(drv); ok {
			r.Built = append(r.Built, i)
			r.Durations[i] = t.Duration[drv]
		}
	}
	for _, drv := range t.CutOff() {
		if i, ok := unitOf(drv); ok {
			r.CutOff = append(r.CutOff, i)
		}
	}
	r.Substituted = p.substitutedUnits(t, r)
	if len(res.OutPaths) > 0 {
		r.Out = res.OutPaths[0]
	}
	if cfg.CA {
		p.noticeMissingRealisations(ctx, cfg, t, r)
	}
	return r, nil
}

// sandboxPaths are the host paths the builds need: a host toolchain's, and
// those declared as native inputs of the packages built.
func (p *Plan) sandboxPaths() []string {
	var paths []string
	if !p.Toolchain.InStore {
		paths = append(paths, p.Toolchain.SandboxPaths...)
	}
	return append(paths, p.HostPaths...)
}

// commandLine is unit i's process as `cargo build -v` shows it.
func (p *Plan) commandLine(i int) string {
	j, err := job.Decode(p.Units[i].Drv.Env[job.EnvVar], "")
	if err != nil {
		return err.Error()
	}
	return shellQuote(append([]string{j.Program}, j.Args...))
}

// shellQuote joins words as a POSIX shell would read them back.
func shellQuote(words []string) string {
	q := make([]string, len(words))
	for k, w := range words {
		if w != "" && strings.Trim(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=+/.,:@%") == "" {
			q[k] = w
		} else {
			q[k] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
		}
	}
	return strings.Join(q, " ")
}

// explainFailure names the failing units and shows their logs (rustc's diagnostics,
// a build script's stderr) instead of Nix's last-ten-lines summary.
func (p *Plan) explainFailure(t *nixbuild.Tracker, err error, color bool) error {
	failed := t.FailedDrvs()
	if len(failed) == 0 {
		msg := err.Error()
		if _, reason, ok := strings.Cut(msg, "error: "+nixDaemonLost); ok {
			done := ""
			if d := p.interrupted(t, err).(*InterruptedError); d.Done >= 0 {
				done = fmt.Sprintf(" (%d of %d units done)", d.Done, d.Total)
			}
			reason, _, _ = strings.Cut(reason, "\n")
			return fmt.Errorf("lost the connection to the Nix daemon while building%s: %s%s; once it runs again, run the command again to continue", done, nixDaemonLost, reason)
		}
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
			if !color {
				l = stripANSI(l)
			}
			fmt.Fprintf(&b, "%s\n", l)
		}
		fmt.Fprintf(&b, "derivation: %s\nfull log: nix log %s", drv, drv)
	}
	return &BuildError{Msg: b.String()}
}

// nixDaemonLost is how Nix 2.26 reports a daemon that died during a build
// (nix: libstore/remote-store.cc).
const nixDaemonLost = "Nix daemon disconnected unexpectedly"

// interrupted says how far the build got when it was cancelled: every unit but
// the builds Nix still expected (the root's included) is done. With CA
// derivations Nix may still expect units that will resolve to existing results,
// so the count errs low.
func (p *Plan) interrupted(t *nixbuild.Tracker, err error) error {
	ie := &InterruptedError{Stage: "building", Total: len(p.Units), Done: -1, Err: err}
	if done, expected := t.Progress[0], t.Progress[1]; expected > 0 {
		ie.Done = min(max(len(p.Units)+1-(expected-done), 0), len(p.Units))
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
func (r *Report) PrintSummary(pr *Printer) {
	pr.Status("Finished", fmt.Sprintf("`%s` profile [%s] target(s) in %.2fs", r.Profile, r.ProfileTraits, r.Elapsed.Seconds()))
	if pr.Quiet {
		return
	}
	line := fmt.Sprintf("%d units: %d built, %d cached", r.Units, len(r.Built), r.Cached())
	if len(r.CutOff) > 0 {
		line += fmt.Sprintf(", %d cut off early", len(r.CutOff))
	}
	if len(r.Substituted) > 0 {
		line += fmt.Sprintf(", %d substituted", len(r.Substituted))
	}
	pr.Line(line)
}
