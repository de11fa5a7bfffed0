package gather

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/run"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// Query says how to ask Cargo for the graph.
type Query struct {
	Cargo        string   // the cargo program; "" means "cargo"
	Dir          string   // where Cargo runs (its config is looked up from here)
	Command      string   // cargo subcommand for the unit graph: "build" (default) or "test"
	BuildArgs    []string // selection flags for the unit-graph query (-p, --release, --features, ...)
	MetadataArgs []string // the subset `cargo metadata` accepts (--manifest-path, --features, --locked, ...)
}

// Load asks Cargo for the unit graph and metadata and parses them.
func Load(ctx context.Context, q Query) (*unitgraph.Graph, error) {
	graphJSON, mdJSON, err := Ask(ctx, q)
	if err != nil {
		return nil, err
	}
	return unitgraph.Parse(graphJSON, mdJSON)
}

// Ask runs Cargo's two queries, the unit graph and then the metadata, and
// returns their JSON. One after the other: run side by side they wait for
// each other's lock on the package cache anyway, and Cargo says so on stderr
// ("Blocking waiting for file lock"). The unit graph goes first: it checks
// every flag, so bad input is reported once, by the query that knows it.
//
// RUSTC_BOOTSTRAP=1 is set for the unit-graph query only: it lets stable Cargo accept
// `-Z unstable-options`, and must not reach builds, where build scripts probing the
// compiler would take nightly-only paths.
func Ask(ctx context.Context, q Query) (graphJSON, mdJSON []byte, err error) {
	cargo := q.Cargo
	if cargo == "" {
		cargo = "cargo"
	}
	sub := q.Command
	if sub == "" {
		sub = "build"
	}
	graphArgs := append([]string{cargo, sub, "--unit-graph", "-Z", "unstable-options"}, q.BuildArgs...)
	graphJSON, err = run.Output(ctx, run.Cmd{Dir: q.Dir, Args: graphArgs, Env: []string{"RUSTC_BOOTSTRAP=1"}})
	if err != nil {
		return nil, nil, cargoError("cargo could not produce the unit graph", err)
	}
	mdArgs := append([]string{cargo, "metadata", "--format-version", "1"}, q.MetadataArgs...)
	mdJSON, err = run.Output(ctx, run.Cmd{Dir: q.Dir, Args: mdArgs})
	if err != nil {
		return nil, nil, cargoError("cargo metadata failed", err)
	}
	return graphJSON, mdJSON, nil
}

// CargoError is Cargo rejecting a query: its message, which already names the
// file, flag or setting, and its exit status, which the tool exits with (101
// for every error Cargo reports itself).
type CargoError struct {
	What   string // which query failed
	Stderr string // Cargo's message
	Status int    // Cargo's exit status, > 0
}

func (e *CargoError) Error() string {
	msg := strings.TrimSpace(e.Stderr)
	if msg == "" {
		return fmt.Sprintf("%s: exit status %d", e.What, e.Status)
	}
	return fmt.Sprintf("%s:\n%s", e.What, msg)
}

// cargoError passes Cargo's own message and exit status through.
func cargoError(what string, err error) error {
	var re *run.Error
	var ee *exec.ExitError
	if errors.As(err, &re) && errors.As(re.Err, &ee) && ee.ExitCode() > 0 {
		return &CargoError{What: what, Stderr: re.Stderr, Status: ee.ExitCode()}
	}
	if errors.As(err, &re) && strings.TrimSpace(re.Stderr) != "" {
		return fmt.Errorf("%s:\n%s", what, strings.TrimSpace(re.Stderr))
	}
	return fmt.Errorf("%s: %w", what, err)
}
