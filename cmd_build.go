package main

import (
	"fmt"
	"runtime"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/engine"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/store"
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
	Flags: append(cargoFlags(), nixFlags()...),
	Action: func(c *cli.Context) error {
		cfg, err := configFromFlags(c)
		if err != nil {
			return err
		}
		return runBuild(c, cfg)
	},
}

func nixFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "content-addressed", Value: "auto", Usage: "auto|on|off: content-addressed derivations (auto: when the Nix daemon accepts ca-derivations)"},
		&cli.StringFlag{Name: "out-link", Aliases: []string{"o"}, Value: "result", Usage: "GC root `PATH` for the result"},
		&cli.BoolFlag{Name: "no-link", Usage: "do not create the result link"},
		&cli.BoolFlag{Name: "print-out-paths", Usage: "print the result's store path on stdout"},
		&cli.BoolFlag{Name: "dry-run", Usage: "write and print the derivations, build nothing"},
		&cli.StringFlag{Name: "max-jobs", Aliases: []string{"j"}, Usage: "units Nix builds at once"},
		&cli.BoolFlag{Name: "print-build-logs", Aliases: []string{"L"}, Usage: "show every unit's build log"},
		&cli.BoolFlag{Name: "keep-going", Usage: "build everything that does not depend on a failure"},
		&cli.StringFlag{Name: "rustc", Usage: "the rustc `PROGRAM` (default: rustc on PATH)"},
		&cli.StringFlag{Name: "nix", Value: "nix", Usage: "the nix `PROGRAM`"},
	}
}

func configFromFlags(c *cli.Context) (*engine.Config, error) {
	q, err := cargoQuery(c)
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
		MaxJobs:   c.String("max-jobs"),
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
	return cfg, nil
}

func runBuild(c *cli.Context, cfg *engine.Config) error {
	ctx := c.Context
	start := time.Now()
	st, err := store.NewCLI(ctx, cfg.Nix)
	if err != nil {
		return err
	}
	switch cfg.CAMode {
	case "on":
		cfg.CA = true
	case "auto":
		if cfg.CA, err = engine.ProbeCA(ctx, st, cfg.System); err != nil {
			return err
		}
	}
	p, err := engine.Prepare(ctx, cfg)
	if err != nil {
		return err
	}
	added, err := p.Register(ctx, st)
	if engine.Collected(err) {
		fmt.Fprintf(cfg.Stderr, "warning: a derivation was garbage-collected during registration; registering again\n")
		added, err = p.Register(ctx, st)
	}
	if err != nil {
		return err
	}
	if cfg.DryRun {
		for _, d := range p.Drvs() {
			fmt.Fprintln(cfg.Stdout, d.Path)
		}
		return nil
	}
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
	r.PrintSummary(cfg.Stderr)
	if c.Bool("print-out-paths") || cfg.NoLink {
		fmt.Fprintln(cfg.Stdout, r.Out)
	} else {
		fmt.Fprintf(cfg.Stderr, "%12s %s -> %s\n", "Result", cfg.OutLink, r.Out)
	}
	return nil
}

// nixSystem is Nix's name for this machine: x86_64-linux, aarch64-darwin, ...
func nixSystem() string {
	arch := map[string]string{"amd64": "x86_64", "arm64": "aarch64", "386": "i686"}[runtime.GOARCH]
	if arch == "" {
		arch = runtime.GOARCH
	}
	return arch + "-" + runtime.GOOS
}
