package engine

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/gather"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
)

// PlanFileName is the plan file's default name, at the workspace root.
const PlanFileName = "nix-unit.json"

// PlanFile gathers what the plan file needs (gather.Describe too), plans, and
// returns the file's bytes and its default path (at the workspace root). It
// needs no Nix store.
func PlanFile(ctx context.Context, g gather.Config) ([]byte, string, error) {
	g.Describe = true
	res, err := gather.Gather(ctx, &g)
	if err != nil {
		return nil, "", err
	}
	p, err := plan.New(res.Input)
	if err != nil {
		return nil, "", err
	}
	f, err := p.File()
	if err != nil {
		return nil, "", err
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, "", err
	}
	return b.Bytes(), filepath.Join(res.Input.Graph.Workspace.WorkspaceRoot, PlanFileName), nil
}

// CheckPlanFile compares the plan file at path with want: nil when equal, else
// one line saying what is out of date.
func CheckPlanFile(path string, want []byte) error {
	have, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%s: %w (cargo nix-unit plan writes it)", path, err)
	}
	if change := plan.FileChange(have, want); change != "" {
		return fmt.Errorf("%s is out of date (%s); run cargo nix-unit plan", path, change)
	}
	return nil
}
