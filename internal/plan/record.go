package plan

import (
	"encoding/json"
	"fmt"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// An Input is recorded (testdata/<case>/ of this package) as three JSON
// documents: Cargo's unit graph, its metadata, and the rest of the Input.

// EncodeInput returns in as its three documents.
func EncodeInput(in *Input) (graph, metadata, rest []byte, err error) {
	if graph, err = json.MarshalIndent(in.Graph, "", "  "); err != nil {
		return nil, nil, nil, err
	}
	if metadata, err = json.MarshalIndent(in.Graph.Workspace, "", "  "); err != nil {
		return nil, nil, nil, err
	}
	rest, err = json.MarshalIndent(in, "", "  ")
	return graph, metadata, rest, err
}

// DecodeInput reads an Input from its three documents.
func DecodeInput(graph, metadata, rest []byte) (*Input, error) {
	g, err := unitgraph.Parse(graph, metadata)
	if err != nil {
		return nil, err
	}
	var in Input
	if err := json.Unmarshal(rest, &in); err != nil {
		return nil, fmt.Errorf("reading the recorded input: %w", err)
	}
	in.Graph = g
	return &in, nil
}
