package plan

import (
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/buildscript"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/manifest"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/native"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// Input is everything planning reads, gathered beforehand (package gather):
// Cargo's unit graph joined with its metadata, the toolchain, what Cargo reads
// besides the unit graph, and every package's source. Planning does no I/O.
type Input struct {
	Graph     *unitgraph.Graph `json:"-"` // recorded as Cargo's own JSON (see testdata)
	Toolchain Toolchain        `json:"toolchain"`
	// Sources maps a package id to its source as it goes into the store.
	Sources map[string]*Source `json:"sources"`
	// BuildScriptSources maps a path package's id to the source its
	// build-script compile reads when that is the build script's file alone
	// (gather: buildScriptSources); other packages' compile reads Sources.
	BuildScriptSources map[string]*Source `json:"buildScriptSources,omitempty"`
	// Rustflags maps a unit's platform ("" for host units) to the flags Cargo adds
	// to its rustc call from RUSTFLAGS or its configuration (build.rustflags,
	// target.<t>.rustflags); build scripts see them as CARGO_ENCODED_RUSTFLAGS.
	Rustflags map[string][]string `json:"rustflags,omitempty"`
	// ConfigEnv is the [env] table of Cargo's configuration, as it applies:
	// rustc and build scripts get each variable Cargo does not set itself.
	ConfigEnv map[string]string `json:"configEnv,omitempty"`
	// Linkers maps a unit's platform ("" for host units) to the linker Cargo's
	// configuration names for it (target.<t>.linker), as an absolute path; a
	// platform without one uses Toolchain.Linker.
	Linkers map[string]string `json:"linkers,omitempty"`
	// LinksOverrides maps a target triple and a `links` name to the output that
	// Cargo's configuration gives instead of running that package's build script.
	LinksOverrides map[string]map[string]*buildscript.Output `json:"linksOverrides,omitempty"`
	// Native maps a package name to the native inputs declared for it
	// ([package.metadata.nix-unit], nix-unit.toml).
	Native map[string]*native.Inputs `json:"native,omitempty"`
	// Manifests maps a package id to what its Cargo.toml says beyond cargo
	// metadata ([lints], harness); a package without one has neither.
	Manifests map[string]*manifest.Manifest `json:"manifests,omitempty"`
	// ProfileInherits maps each custom profile to the one it inherits from: a
	// build script's PROFILE follows the chain to release or debug.
	ProfileInherits map[string]string `json:"profileInherits,omitempty"`
	// Clippy, when set, lints the workspace members' units with clippy-driver,
	// as `cargo clippy` does.
	Clippy *Clippy `json:"clippy,omitempty"`
	// Rustdocflags are the flags Cargo appends to rustdoc's command line
	// (CARGO_ENCODED_RUSTDOCFLAGS or RUSTDOCFLAGS), as rustflags are to rustc's.
	Rustdocflags []string `json:"rustdocflags,omitempty"`
	// Origins maps a non-path package id to where its source comes from: the
	// plan file describes sources by it, and a registry crate with a checksum
	// and a download URL is fetched by fixed-output derivations (Fetched).
	Origins map[string]*Origin `json:"origins,omitempty"`
	// Checked are Cargo.lock and the manifests inside the workspace, sorted by
	// file; only gathered for the plan file.
	Checked []Checked `json:"checked,omitempty"`
	// Test asks for the runs of `cargo test`; nil plans none (build).
	Test *TestInput `json:"test,omitempty"`
}

// TestInput is what `test` runs besides building: its flags that change runs.
type TestInput struct {
	// Args go to every test harness, after --: filters, --nocapture,
	// --test-threads. Doctests get each as --test-args.
	Args []string `json:"args,omitempty"`
	// Quiet (-q) gives harnesses --quiet, as Cargo does.
	Quiet bool `json:"quiet,omitempty"`
	// NoRun plans no runs: the test executables are built, doctests neither
	// built nor run (cargo test --no-run).
	NoRun bool `json:"noRun,omitempty"`
	// OnHost runs every test executable on the host, outside the sandbox and
	// uncached; doctests still run in the sandbox.
	OnHost bool `json:"onHost,omitempty"`
	// Packages reports that the user named packages (-p, --workspace,
	// --exclude): Cargo's rerun hints then always name the package.
	Packages bool `json:"packages,omitempty"`
}

// Toolchain describes the compiler the jobs run.
type Toolchain struct {
	Rustc   string `json:"rustc"` // absolute path of the real rustc (not a rustup proxy)
	Rustdoc string `json:"rustdoc"`
	Cargo   string `json:"cargo"`  // the CARGO variable: Cargo of the same toolchain
	Linker  string `json:"linker"` // absolute path given as -C linker=; "" leaves rustc's default
	Host    string `json:"host"`   // host triple
	// Version is `rustc -vV`, part of every unit's hash.
	Version string `json:"version"`
	// Cfg maps a target triple ("" for the host) to `rustc --print cfg` lines
	// under that target's rustflags, without debug_assertions (that one
	// follows the profile).
	Cfg  map[string][]string `json:"cfg"`
	Path string              `json:"path"` // PATH for every process the jobs run
	// Components are the toolchain's installed components (rustup's
	// lib/rustlib/components), "" entries never; nil when unknown.
	Components []string `json:"components,omitempty"`
}

// Source is a package's directory as it goes into the store.
type Source struct {
	Name  string   `json:"name"`  // store path name: <package>-<version>-source
	Dir   string   `json:"dir"`   // absolute
	Files []string `json:"files"` // relative to Dir, slash-separated, sorted
	// Path is the store path these files get (by NAR hash), "" when not computed.
	Path string `json:"path,omitempty"`
	// NarHash is the NAR hash of these files (SRI, sha256-…), "" when not computed.
	NarHash string `json:"narHash,omitempty"`
}
