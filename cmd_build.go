package main

import (
	"github.com/urfave/cli/v2"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/engine"
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
	Flags: append(append(append(cargoFlags(), nixFlags()...), outputFlags()...), storeFlag()),
	Action: func(c *cli.Context) error {
		cfg, err := buildConfig(c, false)
		if err != nil {
			return err
		}
		return engine.Build(c.Context, cfg)
	},
}
