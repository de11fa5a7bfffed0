package main

import "github.com/urfave/cli/v2"

// version is set at link time (-ldflags "-X main.version=...").
var version = "dev"

func newApp() *cli.App {
	cli.VersionPrinter = printVersion
	return &cli.App{
		Name:     "cargo-nix-unit",
		HelpName: "cargo nix-unit",
		Usage:    "build Cargo workspaces with Nix, one derivation per Cargo unit",
		Version:  toolVersion(),
		Commands: []*cli.Command{buildCommand, graphCommand},
	}
}
