package plan

import (
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/derivation"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// Plan is a workspace's build: one node per Cargo unit, and the result that
// collects the roots' outputs.
type Plan struct {
	Input *Input
	Nodes []*Node // every unit once, each after its dependencies
	Roots []*Node // the units Cargo was asked for, in Cargo's order (under test, doctests are Runs)
	// Result is the derivation gathering the roots' binaries, C libraries and
	// the path packages' diagnostics into one output.
	Result *Node
	// HostPaths are the sandbox paths declared as native inputs of the
	// packages in the plan, each once, in plan order.
	HostPaths []string
	// Runs are the test runs of `cargo test` (Input.Test), in the order Cargo
	// runs them: every test executable, then every library's doctests. They
	// are not in Nodes, and the result does not depend on them.
	Runs []*Node
	// Fetches are the sources made by fixed-output derivations, as the flake
	// makes them (set by Derive), sorted by source name.
	Fetches []*Fetch
}

// Node is one unit, made once by New and carried through every later stage:
// the derivation writer, registration, the build and the report fill in the
// fields below the line.
type Node struct {
	Key  string          // unique in the plan and stable across edits (Keys)
	Name string          // the derivation's name, unique in the plan (Names)
	Unit *unitgraph.Unit // Cargo's unit; nil for the result
	// Index is the unit's position in Cargo's unit graph.
	Index int
	// Hash is the unit's -C metadata: stable across machines and edits.
	Hash string
	// Job is what the builder does. Its strings refer to dependencies'
	// outputs and to sources by refs (OutRef, SourceRef), not store paths.
	Job *job.Job
	// Deps are the nodes whose outputs Job refers to, sorted by key.
	Deps []*Node
	// Source is the package source the unit reads; nil for the result.
	Source *Source
	// Store lists the other store paths the job reads (declared native inputs).
	Store []string
	// Root reports a unit Cargo was asked to build (not only needed by one).
	Root bool
	// Run is set on the nodes of Plan.Runs: what the run is to Cargo.
	Run *Run

	// Drv is the unit's derivation (set by Derive).
	Drv *derivation.Drv
	// Out is the output's store path: known from Derive for input-addressed
	// derivations, from the store or the build for content-addressed ones.
	Out string
	// Status is what the build did with the unit.
	Status Status
	// Time is how long the unit's builder ran (built units only).
	Time time.Duration
}

// Status is what a build did with a unit.
type Status string

const (
	StatusUnknown Status = ""
	StatusBuilt   Status = "built"   // its builder ran
	StatusCached  Status = "cached"  // its output was in the store already
	StatusCutOff  Status = "cut-off" // content-addressed: its inputs resolved to an existing result
	// StatusSubstituted: Nix fetched its output from a substituter (a binary cache).
	StatusSubstituted Status = "substituted"
	// StatusFailed: its builder failed (a test run whose tests failed).
	StatusFailed Status = "failed"
)

// String names the node the way Cargo names units: "serde v1.0.152 (lib)".
func (n *Node) String() string {
	if n.Unit == nil {
		return n.Name
	}
	return n.Unit.String()
}
