package engine

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/source"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/store"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/toolchain"
)

// addToolchain adds the toolchain's store copy when the store lacks it.
func addToolchain(ctx context.Context, s store.Store, c *source.Tree, valid map[string]bool, tmp string) error {
	if c == nil || valid[c.Path] {
		return nil
	}
	staged, err := c.Stage(tmp)
	if err != nil {
		return fmt.Errorf("staging the toolchain %s: %w", c.Dir, err)
	}
	return s.AddPath(ctx, c.Name, staged, c.Path)
}

// hostRustc is the rustc file on this machine, which the no-op check watches:
// an update of the toolchain replaces it, never its store copy.
func hostRustc(tc *toolchain.Toolchain) string {
	if tc.HostSysroot == "" || tc.Copy == nil {
		return tc.Rustc
	}
	return filepath.Join(tc.HostSysroot, "bin", "rustc")
}

// hostUse says what the builds take from the host, for a failure that may come
// from a path the sandbox does not show.
func hostUse(tc *toolchain.Toolchain) string {
	if strings.HasPrefix(tc.Sysroot, "/nix/store/") {
		return "the linker and the system's libraries come from the host"
	}
	return "rustc lives outside the Nix store"
}
