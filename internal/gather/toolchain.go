package gather

import (
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/cache"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/toolchain"
)

// useToolchain applies --toolchain. The hash of a toolchain's store copy is
// remembered per toolchain, not per workspace: every workspace shares it.
func useToolchain(tc *toolchain.Toolchain, cfg *Config) error {
	mode := cfg.Toolchain
	if mode == "" {
		mode = toolchain.StoreMode
	}
	var hashes *cache.HashCache
	if !cfg.NoCache {
		hashes = toolchain.OpenCache(tc.HostSysroot)
		defer hashes.Save()
	}
	return tc.Use(mode, hashes)
}
