package main

import "github.com/urfave/cli/v2"

// version is set at link time (-ldflags "-X main.version=...").
var version = "dev"

func newApp() *cli.App {
	return &cli.App{
		Name:     "cargo-nix-unit",
		HelpName: "cargo nix-unit",
		Usage:    "build Cargo workspaces with Nix, one derivation per Cargo unit",
		Version:  version,
		Commands: []*cli.Command{buildCommand, graphCommand},
	}
}
