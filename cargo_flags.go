package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// cargoFlags are Cargo's selection flags. They go to Cargo's unit-graph query
// unchanged: Cargo decides what to build and resolves features, never this tool.
func cargoFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringSliceFlag{Name: "package", Aliases: []string{"p"}, Usage: "package to build (`SPEC`, repeatable)"},
		&cli.BoolFlag{Name: "workspace", Usage: "build every workspace member"},
		&cli.StringSliceFlag{Name: "exclude", Usage: "exclude `SPEC` with --workspace"},
		&cli.BoolFlag{Name: "lib", Usage: "build only the package's library"},
		&cli.StringSliceFlag{Name: "bin", Usage: "build only the binary `NAME`"},
		&cli.BoolFlag{Name: "bins", Usage: "build all binaries"},
		&cli.StringSliceFlag{Name: "example", Usage: "build the example `NAME`"},
		&cli.BoolFlag{Name: "examples", Usage: "build all examples"},
		&cli.StringSliceFlag{Name: "test", Usage: "build the integration test `NAME`"},
		&cli.BoolFlag{Name: "tests", Usage: "build every target with test = true (unit tests, integration tests)"},
		&cli.StringSliceFlag{Name: "bench", Usage: "build the benchmark `NAME`"},
		&cli.BoolFlag{Name: "benches", Usage: "build every target with bench = true"},
		&cli.BoolFlag{Name: "all-targets", Usage: "build every target"},
		&cli.BoolFlag{Name: "release", Aliases: []string{"r"}, Usage: "build with the release profile"},
		&cli.StringFlag{Name: "profile", Usage: "build with the profile `NAME`"},
		&cli.StringSliceFlag{Name: "features", Aliases: []string{"F"}, Usage: "features to activate"},
		&cli.BoolFlag{Name: "all-features", Usage: "activate all features"},
		&cli.BoolFlag{Name: "no-default-features", Usage: "do not activate the default feature"},
		&cli.StringSliceFlag{Name: "target", Usage: "build for the target `TRIPLE`"},
		&cli.StringFlag{Name: "manifest-path", Usage: "path to Cargo.toml"},
		&cli.BoolFlag{Name: "locked", Usage: "require Cargo.lock to be up to date"},
		&cli.BoolFlag{Name: "frozen", Usage: "require Cargo.lock and the cache to be up to date"},
		&cli.BoolFlag{Name: "offline", Usage: "run without accessing the network"},
		&cli.StringFlag{Name: "cargo", Value: "cargo", Usage: "the cargo `PROGRAM`"},
	}
}

// cargoQuery translates the flags into the unit-graph and metadata queries.
func cargoQuery(c *cli.Context) (unitgraph.Query, error) { return cargoQueryArgs(c, false) }

// cargoQueryArgs is cargoQuery for a command that takes arguments of its own
// (test: those after --) when passArgs is set.
func cargoQueryArgs(c *cli.Context, passArgs bool) (unitgraph.Query, error) {
	var build, meta []string
	both := func(a ...string) { build = append(build, a...); meta = append(meta, a...) }
	for _, p := range c.StringSlice("package") {
		build = append(build, "--package", p)
	}
	for _, name := range []string{"workspace", "lib", "bins", "examples", "tests", "benches", "all-targets", "release"} {
		if c.Bool(name) {
			build = append(build, "--"+name)
		}
	}
	for _, name := range []string{"exclude", "bin", "example", "test", "bench", "target"} {
		for _, v := range c.StringSlice(name) {
			build = append(build, "--"+name, v)
		}
	}
	if v := c.String("profile"); v != "" {
		build = append(build, "--profile", v)
	}
	if fs := c.StringSlice("features"); len(fs) > 0 {
		both("--features", strings.Join(fs, ","))
	}
	for _, name := range []string{"all-features", "no-default-features", "locked", "frozen", "offline"} {
		if c.Bool(name) {
			both("--" + name)
		}
	}
	if v := c.String("manifest-path"); v != "" {
		if _, err := os.Stat(v); err != nil {
			return unitgraph.Query{}, fmt.Errorf("--manifest-path %s: %w", v, err)
		}
		both("--manifest-path", v)
	}
	if c.Args().Len() > 0 && !passArgs {
		return unitgraph.Query{}, fmt.Errorf("unexpected argument %q", c.Args().First())
	}
	return unitgraph.Query{Cargo: c.String("cargo"), BuildArgs: build, MetadataArgs: meta}, nil
}
