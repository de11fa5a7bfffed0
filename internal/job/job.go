// Package job is the contract between the planner and the builder that runs inside each derivation.
package job

import (
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/buildscript"
)

// EnvVar is the derivation environment variable holding a Job as JSON.
const EnvVar = "cargoNixUnitJob"

// Self stands for the derivation's own output in every string of a Job. It is Nix's
// placeholder for "out": Nix rewrites it in content-addressed derivations, and the
// builder rewrites it in input-addressed ones, whose output path cannot appear in the
// derivation it is hashed from.
const Self = "/1rz4g4znpzjwh1xymhjpm42vipw92pr73vdgl6xs1hycac8kf2n9"

// Actions a builder performs.
const (
	Rustc          = "rustc"            // compile a unit
	RunBuildScript = "run-build-script" // run a compiled build script
	Collect        = "collect"          // copy the built binaries into one output
	Override       = "override"         // write a build script's output given by Cargo's configuration
	Rustdoc        = "rustdoc"          // document a unit (cargo doc); Doc says where
	UnpackCrate    = "unpack-crate"     // unpack a .crate's planned files (crate.go)
	RunTest        = "run-test"         // run a test executable or rustdoc --test, keep what it printed
	Plan           = "plan"             // write the plan file for a flake without one (builder/plan.go)
	Instantiate    = "instantiate"      // write the result's .drv: dynamic derivations (builder/plan.go)
)

// Job is what one derivation's builder does.
type Job struct {
	Unit    string            `json:"unit"`   // "serde v1.0.152 (lib)", for messages
	Action  string            `json:"action"` // Rustc, RunBuildScript or Collect
	Program string            `json:"program,omitempty"`
	Args    []string          `json:"args,omitempty"`
	Env     map[string]string `json:"env,omitempty"` // the process environment, complete
	// Dir is the working directory. Relative paths are inside the scratch directory,
	// where Links are created first.
	Dir   string `json:"dir,omitempty"`
	Links []Link `json:"links,omitempty"`

	// Own is the package's own build-script run, whose directives this unit receives.
	Own *OwnDirectives `json:"own,omitempty"`
	// DepSearch lists the outputs of the unit's direct library dependencies. The
	// builder gives rustc `-L dependency=<out>/lib` at DepSearchAt in Args for
	// each of them and every output reached through their deps/ links (or one
	// directory holding them all, with a persistent incremental directory).
	DepSearch   []string `json:"depSearch,omitempty"`
	DepSearchAt int      `json:"depSearchAt,omitempty"`
	// ExportDeps makes the builder link DepSearch into the unit's own deps/, so
	// that dependents find this library's dependencies (libraries only).
	ExportDeps bool `json:"exportDeps,omitempty"`
	// LinkSearch lists build-script runs of linkable dependencies: their -L paths apply.
	LinkSearch []string `json:"linkSearch,omitempty"`
	// DepMetadata lists direct dependencies with `links` whose metadata a build script
	// receives as DEP_<LINKS>_<KEY>.
	DepMetadata []DepMetadata `json:"depMetadata,omitempty"`
	// BuildScript parses a run's output (RunBuildScript only).
	BuildScript *buildscript.Options `json:"buildScript,omitempty"`
	// Output replaces the build script's run (Override only): the
	// target.<triple>.<links> table of Cargo's configuration.
	Output *buildscript.Output `json:"output,omitempty"`

	// Doctest says where the arguments that build scripts give rustdoc --test
	// go (RunTest of a doctest only); Own and LinkSearch name those scripts.
	Doctest *DoctestArgs `json:"doctest,omitempty"`

	// Incremental is the -C incremental= directory in Args (under
	// plan.IncrementalMount), "" for a unit Cargo compiles from scratch. The
	// builder uses it when the build sees it, owned by the build's user; else it
	// compiles in a directory of its scratch space, so the output is the same.
	Incremental string `json:"incremental,omitempty"`

	// HostPaths are the host paths declared for this package's build
	// (native.Inputs.SandboxPaths): recorded here so the derivation shows them;
	// the build shows them through extra-sandbox-paths.
	HostPaths []string `json:"hostPaths,omitempty"`

	// Doc is where a Rustdoc job's pages go and which documented crates they
	// link to (Rustdoc only).
	Doc *Doc `json:"doc,omitempty"`
	// DocIndex merges the documented crates' search index and other
	// cross-crate files (Collect only).
	DocIndex *DocIndex `json:"docIndex,omitempty"`

	// Rename moves files after the process ran (bins lose Cargo's hash suffix).
	Rename []Rename `json:"rename,omitempty"`
	// Copy copies files (Collect), or the workspace into the scratch
	// directory (Plan).
	Copy []Rename `json:"copy,omitempty"`

	// Crate is a .crate file, Prefix the directory its files are under in the
	// archive ("<name>-<version>/") and Files the ones to unpack (UnpackCrate only).
	Crate  string   `json:"crate,omitempty"`
	Prefix string   `json:"prefix,omitempty"`
	Files  []string `json:"files,omitempty"`

	// Stdin is the program's standard input (Plan only: the fetched crates).
	Stdin string `json:"stdin,omitempty"`
}

// Link is a symlink created in the scratch directory: Path (relative) → Target.
type Link struct {
	Path   string `json:"path"`
	Target string `json:"target"`
	// Entries makes Path a real directory holding a link to each entry of
	// Target: a process working in Path sees a current directory that does not
	// name Target (rustc records it in debug info and metadata).
	Entries bool `json:"entries,omitempty"`
}

// OwnDirectives names a build-script run output and how this unit receives it.
type OwnDirectives struct {
	Run      string               `json:"run"` // the run derivation's output
	Receiver buildscript.Receiver `json:"receiver"`
}

// DepMetadata is a direct dependency's build-script run and its `links` value.
type DepMetadata struct {
	Links string `json:"links"`
	Run   string `json:"run"`
}

// Rename moves From to To; both are absolute (usually under Self).
type Rename struct {
	From string `json:"from"`
	To   string `json:"to"`
	// Optional skips a missing From (a unit's diagnostics exist only if it warned).
	Optional bool `json:"optional,omitempty"`
	// Link makes To a symbolic link to From instead of a copy (Collect only).
	Link bool `json:"link,omitempty"`
}

// Doc is a rustdoc run (cargo doc). rustdoc writes into DocDir(Self), where
// the builder first links the crate directories of every documented
// dependency, found from Deps through their deps/ links: rustdoc links to a
// crate's pages only when they are in its output directory (rustdoc:
// formats/cache.rs, extern_location). Afterwards the output keeps the unit's
// own crate directory, its sources under src/, help.html and settings.html,
// and the cross-crate parts rustdoc wrote to PartsDir(Self).
type Doc struct {
	Crate string   `json:"crate"` // the documented crate's name, its directory
	Deps  []string `json:"deps,omitempty"`
}

// DocIndex is rustdoc's merge of the cross-crate parts of every documented
// crate into Dir (rustdoc --merge=finalize --include-parts-dir).
type DocIndex struct {
	Program string            `json:"program"`
	Parts   []string          `json:"parts"` // PartsDir of each documented unit
	Dir     string            `json:"dir"`
	Env     map[string]string `json:"env,omitempty"`
}

// Run-output layout, shared by the builder that writes it and the planner that reads it.

// OutDir is the build script's OUT_DIR inside a run output.
func OutDir(run string) string { return run + "/out" }

// DepsDir holds a library output's links to the outputs of its direct library
// dependencies.
func DepsDir(out string) string { return out + "/deps" }

// DocDir holds a documented unit's pages, and the result's, as Cargo's target/doc.
func DocDir(out string) string { return out + "/share/doc" }

// PartsDir holds the cross-crate parts of a documented unit (rustdoc --parts-out-dir).
func PartsDir(out string) string { return out + "/nix-unit/doc.parts" }

// The incremental mount (see plan.IncrementalMount) holds units/<key>/, one
// persistent directory per unit, and files/, the copies of dependency
// libraries those directories link to, each kept once.

// IncrementalFiles is the files/ directory next to the units/ directory that
// holds unitDir.
func IncrementalFiles(unitDir string) string {
	return path.Join(path.Dir(path.Dir(unitDir)), "files")
}

// DirectivesFile holds the parsed directives inside a run output.
func DirectivesFile(run string) string { return run + "/directives.json" }

// DiagnosticsFile holds what rustc said about a unit that compiled with
// warnings, so they can be shown again when the unit is cached (Cargo replays them).
func DiagnosticsFile(out string) string { return out + "/nix-unit/diagnostics.json" }

// Diagnostics is the content of DiagnosticsFile.
type Diagnostics struct {
	Warnings int `json:"warnings"`
	// Rendered is rustc's rendering of every diagnostic, with ANSI colours, in order.
	Rendered string `json:"rendered"`
	// Messages are rustc's JSON diagnostics, in order: what Cargo's
	// compiler-message carries, and what tells how many are fixable.
	Messages []json.RawMessage `json:"messages,omitempty"`
}

// DiagnosticPrefix starts the lines a failing unit's builder prints after
// the tool's output: one of rustc's JSON diagnostics each, for Cargo's
// compiler-message (a failed derivation keeps no output to read them from).
const DiagnosticPrefix = "cargo-nix-unit-diagnostic: "

// TimingsPrefix starts the last line a builder that succeeded writes to its
// log: how long its phases took, as JSON (Timings). The CLI takes the line out
// of the log it shows.
const TimingsPrefix = "@cargo-nix-unit-timings "

// Timings are the seconds a builder spent in each phase: "setup" (links, the
// incremental directory, the dependency directory), "run" (rustc or the
// build script), "output" (moving files, dependency links, diagnostics).
type Timings map[string]float64

// Encode returns the job as JSON for the derivation environment.
func (j *Job) Encode() (string, error) {
	b, err := json.Marshal(j)
	if err != nil {
		return "", fmt.Errorf("encoding job for %s: %w", j.Unit, err)
	}
	return string(b), nil
}

// Decode reads a job from its JSON and replaces Self with out everywhere.
func Decode(s, out string) (*Job, error) {
	if out != "" && out != Self {
		s = strings.ReplaceAll(s, Self, out)
	}
	var j Job
	if err := json.Unmarshal([]byte(s), &j); err != nil {
		return nil, fmt.Errorf("decoding job: %w", err)
	}
	return &j, nil
}

// DoctestArgs places, in a doctest's Args, what Cargo adds to rustdoc --test
// once build scripts have run (cargo: ops/cargo_test.rs, run_doc_tests, and
// build_runner/mod.rs, the to_doc_test collection): `-L` for the scripts'
// search paths at NativeAt, the own script's --cfg, --check-cfg and link
// arguments at DirectivesAt. NativeAt <= DepSearchAt <= DirectivesAt.
type DoctestArgs struct {
	NativeAt     int `json:"nativeAt"`
	DirectivesAt int `json:"directivesAt"`
}
