package main

import (
	"errors"

	"github.com/urfave/cli/v2"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/doctor"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/toolchain"
)

var doctorCommand = &cli.Command{
	Name:  "doctor",
	Usage: "check Nix, the store, content-addressed derivations, the sandbox, the Rust toolchain and remote builders",
	Description: `Each check prints ok, note or FAIL, and the fix for any problem. Exits 1 on a failure.

Example:
   cargo nix-unit doctor`,
	Flags: []cli.Flag{
		&cli.StringFlag{Name: "nix", Value: "nix", Usage: "the nix `PROGRAM`"},
		&cli.StringFlag{Name: "rustc", Usage: "the rustc `PROGRAM` (default: rustc on PATH)"},
		&cli.StringFlag{Name: "cargo", Value: "cargo", Usage: "the cargo `PROGRAM`"},
		settingsFlags()[0], settingsFlags()[1],
		toolchainFlag,
	},
	Action: func(c *cli.Context) error {
		if err := applyNixSettings(c); err != nil {
			return err
		}
		mode, err := toolchain.ParseMode(c.String("toolchain"))
		if err != nil {
			return err
		}
		fs := doctor.Run(c.Context, doctor.Options{Nix: c.String("nix"), Rustc: c.String("rustc"), Cargo: c.String("cargo"), Toolchain: mode, System: nixSystem()})
		doctor.Print(c.App.Writer, fs)
		if doctor.Failed(fs) {
			return errors.New("doctor found problems; see the fixes above")
		}
		return nil
	},
}
