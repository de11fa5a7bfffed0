package main

// The flags commands share, and the configuration they make.

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/engine"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/gather"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/report"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/run"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/toolchain"
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

// cargoQuery translates the flags into the unit-graph and metadata queries; a
// command that takes arguments of its own (test: those after --) sets passArgs.
func cargoQuery(c *cli.Context, passArgs bool) (gather.Query, error) {
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
			return gather.Query{}, fmt.Errorf("--manifest-path %s: %w", v, err)
		}
		both("--manifest-path", v)
	}
	if c.Args().Len() > 0 && !passArgs {
		return gather.Query{}, fmt.Errorf("unexpected argument %q", c.Args().First())
	}
	return gather.Query{Cargo: c.String("cargo"), BuildArgs: build, MetadataArgs: meta}, nil
}

// nixFlags choose how derivations are written, registered and built, and the
// Nix settings of the run.
func nixFlags() []cli.Flag {
	return append(settingsFlags(),
		&cli.StringFlag{Name: "content-addressed", Value: "auto", Usage: "auto|on|off: content-addressed derivations (auto: when the Nix daemon accepts ca-derivations)"},
		&cli.StringFlag{Name: "out-link", Aliases: []string{"o"}, Value: "result", Usage: "GC root `PATH` for the result"},
		&cli.BoolFlag{Name: "no-link", Usage: "do not create the result link"},
		&cli.BoolFlag{Name: "print-out-paths", Usage: "print the result's store path on stdout"},
		&cli.BoolFlag{Name: "dry-run", Usage: "write and print the derivations, build nothing"},
		&cli.StringFlag{Name: "max-jobs", Aliases: []string{"j"}, Usage: "units Nix builds at once (default: the number of CPUs, as Cargo's -j)"},
		&cli.BoolFlag{Name: "print-build-logs", Aliases: []string{"L"}, Usage: "show every unit's build log"},
		&cli.BoolFlag{Name: "keep-going", Usage: "build everything that does not depend on a failure"},
		&cli.StringFlag{Name: "rustc", Usage: "the rustc `PROGRAM` (default: rustc on PATH)"},
		toolchainFlag,
		&cli.StringFlag{Name: "nix", Value: "nix", Usage: "the nix `PROGRAM`"},
		&cli.StringFlag{Name: "store-client", Value: "auto", Usage: "auto|daemon|cli: register through the Nix daemon protocol or nix derivation add (auto: the daemon, else the CLI)"},
	)
}

// toolchainFlag says where the jobs take rustc, rustdoc and cargo from.
var toolchainFlag = &cli.StringFlag{Name: "toolchain", Value: "store",
	Usage: "store|host: copy a host toolchain into the Nix store, so derivations are the same on every machine with it, or use it in place (the sandbox shows its directory)"}

// outputFlags choose how much the build says and how.
func outputFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "print each unit's command line, as cargo -v does"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print only errors"},
		&cli.StringFlag{Name: "color", Value: "auto", Usage: "auto|always|never: colour output"},
		&cli.StringFlag{Name: "progress", Value: "auto", Usage: "auto|plain: a live progress bar on a terminal, or one line per unit"},
		&cli.StringFlag{Name: "message-format", Value: "human", Usage: "human|json|json-diagnostic-rendered-ansi: json prints Cargo's compiler-message, compiler-artifact and build-finished messages on stdout"},
		&cli.BoolFlag{Name: "json", Usage: "print a JSON report of the build on stdout (result, every unit with status and time)"},
		&cli.BoolFlag{Name: "timings", Usage: "print where the time went: Cargo's unit graph, planning, registration, nix build"},
		&cli.BoolFlag{Name: "recheck", Usage: "ask Cargo, rustc and Nix even when nothing changed since the last build"},
		&cli.BoolFlag{Name: "trace", Usage: "print every external command the tool runs (cargo, rustc, git, nix)"},
	}
}

// buildConfig reads the flags of build and test into a configuration.
func buildConfig(c *cli.Context, passArgs bool) (*engine.Config, error) {
	q, err := cargoQuery(c, passArgs)
	if err != nil {
		return nil, err
	}
	if err := applyNixSettings(c); err != nil {
		return nil, err
	}
	mode, err := toolchain.ParseMode(c.String("toolchain"))
	if err != nil {
		return nil, err
	}
	cfg := &engine.Config{
		Gather:        gather.Config{Query: q, Rustc: c.String("rustc"), Toolchain: mode, Nix: c.String("nix"), NoCache: c.Bool("recheck")},
		Nix:           c.String("nix"),
		System:        nixSystem(),
		CAMode:        c.String("content-addressed"),
		StoreClient:   c.String("store-client"),
		OutLink:       c.String("out-link"),
		NoLink:        c.Bool("no-link"),
		DryRun:        c.Bool("dry-run"),
		MaxJobs:       maxJobs(c.String("max-jobs")),
		KeepGoing:     c.Bool("keep-going"),
		BuildLogs:     c.Bool("print-build-logs"),
		JSON:          c.Bool("json"),
		CargoMessages: strings.HasPrefix(c.String("message-format"), "json"),
		MessageANSI:   c.String("message-format") == "json-diagnostic-rendered-ansi",
		Timings:       c.Bool("timings"),
		PrintOutPaths: c.Bool("print-out-paths"),
		Args:          os.Args[1:],
		Environ:       os.Environ(),
		Stdout:        c.App.Writer,
		Stderr:        c.App.ErrWriter,
	}
	if !cfg.NoLink {
		cfg.Gather.OutLink = cfg.OutLink // the result link stays out of every source
	}
	if err := oneOf("content-addressed", cfg.CAMode, "auto", "on", "off"); err != nil {
		return nil, err
	}
	if err := oneOf("store-client", cfg.StoreClient, "auto", "daemon", "cli"); err != nil {
		return nil, err
	}
	if err := oneOf("message-format", c.String("message-format"), "human", "json", "json-diagnostic-rendered-ansi"); err != nil {
		return nil, err
	}
	if cfg.Printer, err = report.NewPrinter(cfg.Stderr, c.String("color"), c.String("progress"), c.Bool("quiet"), c.Bool("verbose")); err != nil {
		return nil, err
	}
	if c.Bool("trace") {
		run.Trace = cfg.Printer
	}
	return cfg, nil
}

// oneOf checks a flag's value against the values it takes.
func oneOf(flag, value string, values ...string) error {
	if slices.Contains(values, value) {
		return nil
	}
	last := len(values) - 1
	return fmt.Errorf("--%s=%s: want %s or %s", flag, value, strings.Join(values[:last], ", "), values[last])
}

// maxJobs is Cargo's default parallelism, one job per CPU, unless -j says
// otherwise: Nix's own default (max-jobs = 1) would build units one at a time.
func maxJobs(flag string) string {
	if flag != "" {
		return flag
	}
	return strconv.Itoa(runtime.NumCPU())
}

// nixSystem is Nix's name for this machine: x86_64-linux, aarch64-darwin, ...
func nixSystem() string {
	arch := map[string]string{"amd64": "x86_64", "arm64": "aarch64", "386": "i686"}[runtime.GOARCH]
	if arch == "" {
		arch = runtime.GOARCH
	}
	return arch + "-" + runtime.GOOS
}
