package main

import (
	"github.com/urfave/cli/v2"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/engine"
)

var testCommand = &cli.Command{
	Name:      "test",
	Usage:     "build the test executables, each unit as its own Nix derivation, and run them",
	ArgsUsage: "[-- TEST ARGS]",
	Description: `Builds what ` + "`cargo build --tests`" + ` would build (or the targets selected with --lib,
--bin, --test, ...) through Nix, then runs every test executable on this machine, in the
package's directory, as ` + "`cargo test`" + ` does. Arguments after -- go to every test executable.
Doctests are not run.

Examples:
   cargo nix-unit test
   cargo nix-unit test -p greeter --lib -- --nocapture`,
	Flags: append(append(append(cargoFlags(), nixFlags()...), outputFlags()...),
		&cli.BoolFlag{Name: "no-fail-fast", Usage: "run every test executable, even after one failed"},
	),
	Action: func(c *cli.Context) error {
		cfg, err := buildConfig(c, true)
		if err != nil {
			return err
		}
		selected := false
		for _, f := range []string{"lib", "bins", "tests", "benches", "examples", "all-targets"} {
			selected = selected || c.Bool(f)
		}
		for _, f := range []string{"bin", "test", "bench", "example"} {
			selected = selected || len(c.StringSlice(f)) > 0
		}
		if !selected {
			q := &cfg.Gather.Query
			q.BuildArgs = append(q.BuildArgs, "--tests")
		}
		return engine.Test(c.Context, cfg, c.Args().Slice(), c.Bool("no-fail-fast"))
	},
}
