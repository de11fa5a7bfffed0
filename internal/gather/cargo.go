package gather

import (
	"context"
	"errors"
	"fmt"
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

// Ask runs Cargo's two queries, the unit graph and the metadata, side by side,
// and returns their JSON.
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
	var mdErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		mdArgs := append([]string{cargo, "metadata", "--format-version", "1"}, q.MetadataArgs...)
		mdJSON, mdErr = run.Output(ctx, run.Cmd{Dir: q.Dir, Args: mdArgs})
	}()
	graphArgs := append([]string{cargo, sub, "--unit-graph", "-Z", "unstable-options"}, q.BuildArgs...)
	graphJSON, err = run.Output(ctx, run.Cmd{Dir: q.Dir, Args: graphArgs, Env: []string{"RUSTC_BOOTSTRAP=1"}})
	<-done
	if err != nil {
		return nil, nil, cargoError("cargo could not produce the unit graph", err)
	}
	if mdErr != nil {
		return nil, nil, cargoError("cargo metadata failed", mdErr)
	}
	return graphJSON, mdJSON, nil
}

// cargoError passes Cargo's own message through: it already names the file and setting.
func cargoError(what string, err error) error {
	var re *run.Error
	if errors.As(err, &re) && strings.TrimSpace(re.Stderr) != "" {
		return fmt.Errorf("%s:\n%s", what, strings.TrimSpace(re.Stderr))
	}
	return fmt.Errorf("%s: %w", what, err)
}
