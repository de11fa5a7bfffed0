package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/engine"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/gather"
)

var planCommand = &cli.Command{
	Name:  "plan",
	Usage: "write the plan as data (nix-unit.json), for building the workspace from a flake",
	Description: `Writes every unit's derivation as the CLI would register it, with dependencies,
sources and the toolchain described instead of store paths: the flake's
lib.buildWorkspace builds the very same derivations from it (docs/plan-json.md).

Examples:
   cargo nix-unit plan
   cargo nix-unit plan --release -o release.json
   cargo nix-unit plan --check`,
	Flags: append(cargoFlags(),
		&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to `FILE` (default: nix-unit.json at the workspace root)"},
		&cli.BoolFlag{Name: "check", Usage: "write nothing; exit 1 with one line when the file is out of date"},
		&cli.StringFlag{Name: "rustc", Usage: "the rustc `PROGRAM` (default: rustc on PATH)"},
		&cli.StringFlag{Name: "crates", Usage: "plan offline against the registry crates `FILE` lists (JSON, - for stdin), as the flake does without a plan file (docs/plan-json.md)"},
	),
	Action: func(c *cli.Context) error {
		q, err := cargoQuery(c, false)
		if err != nil {
			return err
		}
		g := gather.Config{Query: q, Rustc: c.String("rustc")}
		if f := c.String("crates"); f != "" {
			if g.Fetched, err = readFetched(f); err != nil {
				return err
			}
		}
		b, path, err := engine.PlanFile(c.Context, g)
		if err != nil {
			return err
		}
		if c.IsSet("output") {
			path = c.String("output")
		}
		if c.Bool("check") {
			return engine.CheckPlanFile(path, b)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(c.App.ErrWriter, "%12s %s\n", "Planned", path)
		return nil
	},
}

// readFetched reads the --crates list from the file f, or stdin for "-".
func readFetched(f string) ([]gather.Fetched, error) {
	if f == "-" {
		return gather.ReadFetched(os.Stdin)
	}
	r, err := os.Open(f)
	if err != nil {
		return nil, fmt.Errorf("--crates: %w", err)
	}
	defer r.Close()
	return gather.ReadFetched(r)
}
