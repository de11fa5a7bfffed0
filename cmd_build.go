package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/engine"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/noop"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/store"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/store/daemon"
)

var buildCommand = &cli.Command{
	Name:  "build",
	Usage: "build the selected units, each as its own Nix derivation",
	Description: `Builds what ` + "`cargo build`" + ` would build with the same flags, and links ./result
to one output holding bin/<name> for every binary.

Examples:
   cargo nix-unit build
   cargo nix-unit build --release -p app
   cargo nix-unit build --content-addressed=off --print-out-paths --no-link`,
	Flags: append(append(cargoFlags(), nixFlags()...), outputFlags()...),
	Action: func(c *cli.Context) error {
		cfg, err := configFromFlags(c)
		if err != nil {
			return err
		}
		return runBuild(c, cfg, nil)
	},
}

func nixFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "content-addressed", Value: "auto", Usage: "auto|on|off: content-addressed derivations (auto: when the Nix daemon accepts ca-derivations)"},
		&cli.StringFlag{Name: "out-link", Aliases: []string{"o"}, Value: "result", Usage: "GC root `PATH` for the result"},
		&cli.BoolFlag{Name: "no-link", Usage: "do not create the result link"},
		&cli.BoolFlag{Name: "print-out-paths", Usage: "print the result's store path on stdout"},
		&cli.BoolFlag{Name: "dry-run", Usage: "write and print the derivations, build nothing"},
		&cli.StringFlag{Name: "max-jobs", Aliases: []string{"j"}, Usage: "units Nix builds at once (default: the number of CPUs, as Cargo's -j)"},
		&cli.BoolFlag{Name: "print-build-logs", Aliases: []string{"L"}, Usage: "show every unit's build log"},
		&cli.BoolFlag{Name: "keep-going", Usage: "build everything that does not depend on a failure"},
		&cli.StringFlag{Name: "rustc", Usage: "the rustc `PROGRAM` (default: rustc on PATH)"},
		&cli.StringFlag{Name: "nix", Value: "nix", Usage: "the nix `PROGRAM`"},
		&cli.StringFlag{Name: "store-client", Value: "auto", Usage: "auto|daemon|cli: register through the Nix daemon protocol or nix derivation add (auto: the daemon, else the CLI)"},
	}
}

// outputFlags choose how much the build says and how.
func outputFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "print each unit's command line, as cargo -v does"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print only errors"},
		&cli.StringFlag{Name: "color", Value: "auto", Usage: "auto|always|never: colour output"},
		&cli.StringFlag{Name: "progress", Value: "auto", Usage: "auto|plain: a live progress bar on a terminal, or one line per unit"},
		&cli.StringFlag{Name: "message-format", Value: "human", Usage: "human|json: json prints Cargo's compiler-artifact and build-finished messages on stdout"},
		&cli.BoolFlag{Name: "json", Usage: "print a JSON report of the build on stdout (result, every unit with status and time)"},
		&cli.BoolFlag{Name: "timings", Usage: "print where the time went: Cargo's unit graph, planning, registration, nix build"},
		&cli.BoolFlag{Name: "recheck", Usage: "ask Cargo, rustc and Nix even when nothing changed since the last build"},
	}
}

func configFromFlags(c *cli.Context) (*engine.Config, error) { return configFromFlagsArgs(c, false) }

// configFromFlagsArgs is configFromFlags for a command taking arguments after --.
func configFromFlagsArgs(c *cli.Context, passArgs bool) (*engine.Config, error) {
	q, err := cargoQueryArgs(c, passArgs)
	if err != nil {
		return nil, err
	}
	cfg := &engine.Config{
		Query:     q,
		Rustc:     c.String("rustc"),
		Nix:       c.String("nix"),
		System:    nixSystem(),
		CAMode:    c.String("content-addressed"),
		OutLink:   c.String("out-link"),
		NoLink:    c.Bool("no-link"),
		DryRun:    c.Bool("dry-run"),
		MaxJobs:   maxJobs(c.String("max-jobs")),
		KeepGoing: c.Bool("keep-going"),
		BuildLogs: c.Bool("print-build-logs"),
		Stdout:    c.App.Writer,
		Stderr:    c.App.ErrWriter,
	}
	switch cfg.CAMode {
	case "auto", "on", "off":
	default:
		return nil, fmt.Errorf("--content-addressed=%s: want auto, on or off", cfg.CAMode)
	}
	switch m := c.String("store-client"); m {
	case "auto", "daemon", "cli":
	default:
		return nil, fmt.Errorf("--store-client=%s: want auto, daemon or cli", m)
	}
	switch c.String("message-format") {
	case "human", "json":
	default:
		return nil, fmt.Errorf("--message-format=%s: want human or json", c.String("message-format"))
	}
	if cfg.Printer, err = engine.NewPrinter(cfg.Stderr, c.String("color"), c.String("progress"), c.Bool("quiet"), c.Bool("verbose")); err != nil {
		return nil, err
	}
	return cfg, nil
}

// afterBuild runs once the build succeeded (`test` runs the tests).
type afterBuild func(p *engine.Plan, r *engine.Report) error

// runBuild builds, then runs after if given; an interruption names the stage
// it stopped.
func runBuild(c *cli.Context, cfg *engine.Config, after afterBuild) error {
	stage := "starting"
	err := buildStages(c, cfg, &stage, after)
	var ie *engine.InterruptedError
	if err != nil && c.Context.Err() != nil && !errors.As(err, &ie) {
		return &engine.InterruptedError{Stage: stage, Done: -1, Err: err}
	}
	return err
}

func buildStages(c *cli.Context, cfg *engine.Config, stage *string, after afterBuild) error {
	ctx := c.Context
	start := time.Now()
	args, environ := os.Args[1:], os.Environ()
	cwd, err := os.Getwd()
	if err != nil {
		return err
	}
	stampPath, err := noop.Path(cwd, args)
	if err != nil {
		return err
	}
	cfg.Start, cfg.NoCache = start, c.Bool("recheck")
	if after == nil && !cfg.DryRun && !c.Bool("json") && c.String("message-format") == "human" && !c.Bool("recheck") {
		if st := noop.Load(stampPath); st.Fresh(args, environ) {
			return replay(c, cfg, st, start)
		}
	}
	// The store stays open until the build is over: its connection roots what
	// Register added and found.
	*stage = "connecting to the Nix store"
	st, closeStore, err := openStore(ctx, c.String("store-client"), cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	if err := resolveCA(ctx, cfg, st); err != nil {
		return store.ReadOnly(err)
	}
	*stage = "asking Cargo for the unit graph and planning"
	p, err := engine.Prepare(ctx, cfg)
	if err != nil {
		return err
	}
	*stage = "registering derivations"
	regStart := time.Now()
	added, err := p.Register(ctx, st)
	if engine.Collected(err) {
		fmt.Fprintf(cfg.Stderr, "warning: a derivation was garbage-collected during registration; registering again\n")
		added, err = p.Register(ctx, st)
	}
	if err != nil {
		return store.ReadOnly(err)
	}
	regTime := time.Since(regStart)
	if cfg.DryRun {
		if c.Bool("timings") {
			cfg.Printer.Status("Timings", fmt.Sprintf("unit graph %.3fs, plan %.3fs (%d units), register %.3fs (%d added), peak memory %d MB",
				p.Timings.Cargo.Seconds(), p.Timings.Plan.Seconds(), len(p.Units), regTime.Seconds(), added, peakMemoryMB()))
		}
		for _, d := range p.Drvs() {
			fmt.Fprintln(cfg.Stdout, d.Path)
		}
		return nil
	}
	*stage = "building"
	buildStart := time.Now()
	r, err := p.Build(ctx, cfg, added, start)
	if engine.Collected(err) {
		fmt.Fprintf(cfg.Stderr, "warning: derivations were garbage-collected before the build started; registering them again\n")
		more, rerr := p.Register(ctx, st)
		if rerr != nil {
			return rerr
		}
		r, err = p.Build(ctx, cfg, added+more, start)
	}
	if err != nil {
		return err
	}
	pr := cfg.Printer
	if !pr.Quiet {
		if err := p.PrintWarnings(pr, r.Out, pr.Color); err != nil {
			return err
		}
	}
	r.PrintSummary(pr)
	if c.Bool("timings") {
		cfg.Printer.Status("Timings", fmt.Sprintf("unit graph %.3fs, plan %.3fs (%d units), register %.3fs (%d added), nix build %.3fs, peak memory %d MB",
			p.Timings.Cargo.Seconds(), p.Timings.Plan.Seconds(), len(p.Units), regTime.Seconds(), added, time.Since(buildStart).Seconds(), peakMemoryMB()))
	}
	link := ""
	if !cfg.NoLink {
		link = cfg.OutLink
		if !pr.Quiet {
			pr.Status("Result", cfg.OutLink+" -> "+r.Out)
		}
	}
	// The stamp first: the record is written under target/, which its
	// fingerprint watches. A command running more after the build keeps none.
	if after == nil {
		saveStamp(p, r, cfg, cwd, args, environ, stampPath, start)
	}
	if err := recordBuild(p); err != nil {
		pr.Warning(err.Error()) // only `graph --why` needs it
		// Without its record a build must not become a no-op: the next run would
		// replay it and never write the record `graph --why` reads.
		noop.Remove(stampPath)
	}
	if after != nil {
		*stage = "running"
		return after(p, r)
	}
	jsonReport, messages := c.Bool("json"), c.String("message-format") == "json"
	if jsonReport || messages {
		outs, err := p.UnitOutputs(ctx, cfg.Nix)
		if err != nil {
			return err
		}
		if messages {
			if err := p.WriteCargoMessages(cfg.Stdout, r, outs); err != nil {
				return err
			}
		}
		if jsonReport {
			return p.WriteJSON(cfg.Stdout, r, link, outs)
		}
		return nil
	}
	if c.Bool("print-out-paths") || cfg.NoLink {
		fmt.Fprintln(cfg.Stdout, r.Out)
	}
	return nil
}

// replay finishes a build whose inputs are unchanged since the last one, the
// way that build ended, without asking Cargo or Nix.
func replay(c *cli.Context, cfg *engine.Config, st *noop.Stamp, start time.Time) error {
	pr := cfg.Printer
	if pr.Verbose {
		for _, u := range st.Result.Units {
			pr.Status("Fresh", u)
		}
	}
	pr.Diagnostics(st.Result.Warnings)
	r := &engine.Report{Out: st.Result.Out, Units: len(st.Result.Units), Elapsed: time.Since(start),
		Profile: st.Result.Profile, ProfileTraits: st.Result.Traits}
	r.PrintSummary(pr)
	if !cfg.NoLink && !pr.Quiet {
		pr.Status("Result", cfg.OutLink+" -> "+r.Out)
	}
	if c.Bool("print-out-paths") || cfg.NoLink {
		fmt.Fprintln(cfg.Stdout, r.Out)
	}
	return nil
}

// saveStamp records the finished build for the next run's no-op check, unless
// an input changed while this build read it.
func saveStamp(p *engine.Plan, r *engine.Report, cfg *engine.Config, cwd string, args, environ []string, path string, start time.Time) {
	link := ""
	if !cfg.NoLink {
		link = cfg.OutLink
	}
	st := &noop.Stamp{Inputs: p.NoopInputs(cwd, cfg), Result: p.NoopResult(r, link)}
	key, newest, err := noop.Fingerprint(args, environ, st.Inputs)
	if err != nil || !newest.Before(start) {
		noop.Remove(path)
		return
	}
	st.Key = key
	if err := st.Save(path); err != nil {
		cfg.Printer.Warning("cannot record this build for the next no-op check: " + err.Error())
	}
}

// openStore connects to the store as --store-client says; auto falls back to
// the nix CLI, with a notice, when the daemon protocol is not available.
func openStore(ctx context.Context, mode string, cfg *engine.Config) (store.Store, func() error, error) {
	if mode != "cli" {
		d, err := daemon.Open(ctx, cfg.Nix, store.Features, cfg.Stderr)
		if err == nil {
			return d, d.Close, nil
		}
		// An unreachable daemon or a read-only store fails nix derivation add
		// too: one error, no notice.
		var ue *daemon.UnreachableError
		var ro *store.ReadOnlyError
		if err = store.ReadOnly(err); mode == "daemon" || errors.As(err, &ue) || errors.As(err, &ro) {
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

// resolveCA decides cfg.CA from cfg.CAMode; `auto` probes the store, which decides
// whether it accepts floating content-addressed derivations. build and graph share
// it, so graph shows the derivation paths build registers.
func resolveCA(ctx context.Context, cfg *engine.Config, st store.Store) error {
	switch cfg.CAMode {
	case "on":
		cfg.CA = true
	case "off":
		cfg.CA = false
	case "auto":
		ca, err := engine.ProbeCA(ctx, st, cfg.System, "")
		if err != nil {
			return err
		}
		cfg.CA = ca
	default:
		return fmt.Errorf("--content-addressed=%s: want auto, on or off", cfg.CAMode)
	}
	return nil
}

// maxJobs is Cargo's default parallelism, one job per CPU, unless -j says
// otherwise: Nix's own default (max-jobs = 1) would build units one at a time.
func maxJobs(flag string) string {
	if flag != "" {
		return flag
	}
	return strconv.Itoa(runtime.NumCPU())
}

// nixSystem is Nix's name for this machine: x86_64-linux, aarch64-darwin, ...
func nixSystem() string {
	arch := map[string]string{"amd64": "x86_64", "arm64": "aarch64", "386": "i686"}[runtime.GOARCH]
	if arch == "" {
		arch = runtime.GOARCH
	}
	return arch + "-" + runtime.GOOS
}
