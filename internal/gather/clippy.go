package gather

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/toolchain"
)

// clippy finds clippy-driver next to the toolchain's rustc, where rustup's
// clippy component puts it and where cargo-clippy looks for it. It is looked
// for where rustc lives on this machine: the jobs' rustc may be the store copy
// of it (--toolchain=store), which holds clippy-driver too but may not be in
// the store yet.
func clippy(tc *toolchain.Toolchain, args []string) (*plan.Clippy, error) {
	host := filepath.Join(tc.HostSysroot, "bin")
	if tc.HostSysroot == "" || tc.Copy == nil {
		host = filepath.Dir(tc.Rustc)
	}
	if _, err := os.Stat(filepath.Join(host, "clippy-driver")); err != nil {
		return nil, fmt.Errorf("clippy-driver is not installed next to rustc (%s); with rustup: rustup component add clippy", host)
	}
	return &plan.Clippy{Driver: filepath.Join(filepath.Dir(tc.Rustc), "clippy-driver"), Args: append([]string{}, args...)}, nil
}
