package gather

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/run"
)

// TargetDir asks Cargo where the workspace's target directory is (its
// configuration and CARGO_TARGET_DIR count), without resolving dependencies.
func TargetDir(ctx context.Context, cargo, dir string, metadataArgs []string) (string, error) {
	if cargo == "" {
		cargo = "cargo"
	}
	args := append([]string{cargo, "metadata", "--no-deps", "--format-version", "1"}, metadataArgs...)
	out, err := run.Output(ctx, run.Cmd{Dir: dir, Args: args})
	if err != nil {
		return "", cargoError("cargo metadata failed", err)
	}
	var md struct {
		TargetDirectory string `json:"target_directory"`
	}
	if err := json.Unmarshal(out, &md); err != nil || md.TargetDirectory == "" {
		return "", fmt.Errorf("cargo metadata gave no target directory")
	}
	return md.TargetDirectory, nil
}
