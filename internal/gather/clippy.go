package gather

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/toolchain"
)

// clippy finds clippy-driver next to the toolchain's rustc, where rustup's
// clippy component puts it and where cargo-clippy looks for it.
func clippy(tc *toolchain.Toolchain, args []string) (*plan.Clippy, error) {
	driver := filepath.Join(filepath.Dir(tc.Rustc), "clippy-driver")
	if _, err := os.Stat(driver); err != nil {
		return nil, fmt.Errorf("clippy-driver is not installed next to rustc (%s); with rustup: rustup component add clippy", filepath.Dir(tc.Rustc))
	}
	return &plan.Clippy{Driver: driver, Args: append([]string{}, args...)}, nil
}
