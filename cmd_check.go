package main

import (
	"github.com/urfave/cli/v2"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/engine"
)

// check, clippy and doc build Cargo's units of `cargo check`, `cargo clippy`
// and `cargo doc` as build builds those of `cargo build`: the same flags, one
// derivation per unit, diagnostics replayed from the store.

var checkCommand = &cli.Command{
	Name:  "check",
	Usage: "check the selected packages and their dependencies for errors, each unit as its own Nix derivation",
	Description: `Runs what ` + "`cargo check`" + ` would run with the same flags: rustc emits metadata only, and
each unit's diagnostics are kept with its output, so a run where nothing changed shows them
again without building anything. No result link is made unless -o asks for one. --message-format=json prints Cargo's compiler-message,
compiler-artifact and build-finished messages, as rust-analyzer's check.overrideCommand wants.

Examples:
   cargo nix-unit check
   cargo nix-unit check --workspace --all-targets --message-format=json`,
	Flags: append(append(cargoFlags(), nixFlags()...), outputFlags()...),
	Action: func(c *cli.Context) error {
		cfg, err := buildConfig(c, false)
		if err != nil {
			return err
		}
		cfg.Gather.Query.Command = "check"
		resultFor(c, cfg, "")
		return engine.Build(c.Context, cfg)
	},
}

var clippyCommand = &cli.Command{
	Name:      "clippy",
	Usage:     "lint the workspace members with clippy, each unit as its own Nix derivation",
	ArgsUsage: "[-- CLIPPY ARGS]",
	Description: `Runs what ` + "`cargo clippy`" + ` would run with the same flags: clippy-driver for the workspace
members' units, and the dependencies as the check units ` + "`check`" + ` builds (the same derivations).
Arguments after -- go to clippy, as with cargo clippy (-D warnings, -W clippy::pedantic);
[lints.clippy] in Cargo.toml applies. A denied lint fails the command with exit status 101.

Examples:
   cargo nix-unit clippy
   cargo nix-unit clippy --all-targets -- -D warnings`,
	Flags: append(append(cargoFlags(), nixFlags()...), outputFlags()...),
	Action: func(c *cli.Context) error {
		cfg, err := buildConfig(c, true)
		if err != nil {
			return err
		}
		cfg.Gather.Query.Command = "check"
		cfg.Gather.Clippy, cfg.Gather.ClippyArgs = true, c.Args().Slice()
		resultFor(c, cfg, "")
		return engine.Build(c.Context, cfg)
	},
}

var docCommand = &cli.Command{
	Name:  "doc",
	Usage: "document the selected packages and their dependencies, each crate as its own Nix derivation",
	Description: `Runs what ` + "`cargo doc`" + ` would run with the same flags: rustdoc per library (and per
workspace binary), linking to the dependencies' pages as Cargo does. The result holds Cargo's
target/doc layout under share/doc: one directory per crate, the sources, the search index and
the static files, to browse offline (result-doc/share/doc/<crate>/index.html; -o names
another link).

Examples:
   cargo nix-unit doc
   cargo nix-unit doc --no-deps -p greeter`,
	Flags: append(append(append(cargoFlags(), nixFlags()...), outputFlags()...),
		&cli.BoolFlag{Name: "no-deps", Usage: "do not document the dependencies"},
	),
	Action: func(c *cli.Context) error {
		cfg, err := buildConfig(c, false)
		if err != nil {
			return err
		}
		q := &cfg.Gather.Query
		q.Command = "doc"
		if c.Bool("no-deps") {
			q.BuildArgs = append(q.BuildArgs, "--no-deps")
		}
		resultFor(c, cfg, "result-doc")
		return engine.Build(c.Context, cfg)
	},
}

// resultFor leaves ./result to build: unless -o or --no-link says otherwise,
// doc links its result as link (as nix build links a doc output,
// result-doc), and check and clippy (link "") make none and print no path,
// as their result only keeps the diagnostics.
func resultFor(c *cli.Context, cfg *engine.Config, link string) {
	if c.IsSet("out-link") || cfg.NoLink {
		return
	}
	if link == "" {
		cfg.NoLink, cfg.NoResult = true, true
		cfg.Gather.OutLink = ""
		return
	}
	cfg.OutLink, cfg.Gather.OutLink = link, link
}
