package main

import "github.com/urfave/cli/v2"

// version is set at link time (-ldflags "-X main.version=...").
var version = "dev"

func newApp() *cli.App {
	// -v is --verbose, as in Cargo; -V prints the version.
	cli.VersionFlag = &cli.BoolFlag{Name: "version", Aliases: []string{"V"}, Usage: "print the version, the Nix version and the content-addressed mode"}
	cli.VersionPrinter = printVersion
	return &cli.App{
		Name:     "cargo-nix-unit",
		HelpName: "cargo nix-unit",
		Usage:    "build Cargo workspaces with Nix, one derivation per Cargo unit",
		Version:  toolVersion(),
		// Shell completion asks the program: see `completions`.
		EnableBashCompletion: true,
		Commands:             []*cli.Command{buildCommand, checkCommand, clippyCommand, docCommand, testCommand, pushCommand, graphCommand, planCommand, doctorCommand, cleanCommand, completionsCommand},
	}
}
