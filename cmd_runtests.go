package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"

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
		testArgs := c.Args().Slice()
		cfg, err := configFromFlagsArgs(c, true)
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
			cfg.Query.BuildArgs = append(cfg.Query.BuildArgs, "--tests")
		}
		return runBuild(c, cfg, func(p *engine.Plan, r *engine.Report) error {
			return runTests(c, cfg, p, r, testArgs)
		})
	},
}

// runTests runs the result's test executables as `cargo test` does.
func runTests(c *cli.Context, cfg *engine.Config, p *engine.Plan, r *engine.Report, args []string) error {
	runs := p.TestRuns(r.Out)
	if len(runs) == 0 {
		cfg.Printer.Warning("no test executables were selected")
		return nil
	}
	var failed []engine.TestRun
	for _, t := range runs {
		cfg.Printer.Status("Running", fmt.Sprintf("%s (%s)", t.What, t.Exe))
		cmd := exec.CommandContext(c.Context, t.Exe, args...)
		cmd.Dir = t.Dir
		cmd.Env = append(os.Environ(), t.Env...)
		cmd.Stdout, cmd.Stderr = cfg.Stdout, cfg.Stderr
		if err := cmd.Run(); err != nil {
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				return fmt.Errorf("unit %s: running %s: %w", t.Unit, t.Exe, err)
			}
			failed = append(failed, t)
			if !c.Bool("no-fail-fast") {
				break
			}
		}
	}
	if len(failed) == 0 {
		return nil
	}
	msg := ""
	for k, t := range failed {
		if k > 0 {
			msg += "\n"
		}
		msg += fmt.Sprintf("test failed, to rerun pass `%s`", t.Selector)
	}
	return &engine.BuildError{Msg: msg}
}
