package main

import (
	"errors"

	"github.com/urfave/cli/v2"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/engine"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
)

var testCommand = &cli.Command{
	Name:      "test",
	Usage:     "execute all unit and integration tests and build examples of a local package, each unit and each test run its own Nix derivation",
	ArgsUsage: "[-- TEST ARGS]",
	Description: `Builds what ` + "`cargo test`" + ` builds (or the targets selected with --lib, --bin,
--test, --doc, ...) through Nix, then runs every test executable, then every library's
doctests (rustdoc --test), as ` + "`cargo test`" + ` does. Each run is a derivation of its own,
run in the Nix sandbox with the package's source as its working directory: a run whose
inputs did not change is not run again, its output is shown as it was, marked (cached).
Arguments after -- go to every test harness (filters, --nocapture, --test-threads).
Tests that need the host (the network, devices, the real home) run on this machine, in
the package's directory and every time, with --on-host, or when their package names them
in ` + "`on-host`" + ` of [package.metadata.nix-unit].

Examples:
   cargo nix-unit test
   cargo nix-unit test -p greeter --lib -- --nocapture
   cargo nix-unit test --no-fail-fast --on-host`,
	Flags: append(append(append(cargoFlags(), nixFlags()...), outputFlags()...),
		&cli.BoolFlag{Name: "doc", Usage: "test only this library's documentation"},
		&cli.BoolFlag{Name: "no-run", Usage: "compile, but don't run tests"},
		&cli.BoolFlag{Name: "no-fail-fast", Usage: "run all tests regardless of failure"},
		&cli.BoolFlag{Name: "on-host", Usage: "run the test executables on this machine, outside the sandbox and uncached (doctests stay in the sandbox)"},
	),
	Action: func(c *cli.Context) error {
		cfg, err := buildConfig(c, true)
		if err != nil {
			return err
		}
		if c.Bool("doc") && c.Bool("no-run") {
			return errors.New("can't skip running doc tests with --no-run")
		}
		q := &cfg.Gather.Query
		q.Command = "test"
		if c.Bool("doc") {
			q.BuildArgs = append(q.BuildArgs, "--doc")
		}
		cfg.Gather.Test = &plan.TestInput{
			Args:     c.Args().Slice(),
			Quiet:    c.Bool("quiet"),
			NoRun:    c.Bool("no-run"),
			OnHost:   c.Bool("on-host"),
			Packages: c.IsSet("package") || c.Bool("workspace") || c.IsSet("exclude"),
		}
		return engine.Test(c.Context, cfg, engine.TestOptions{NoFailFast: c.Bool("no-fail-fast")})
	},
}
