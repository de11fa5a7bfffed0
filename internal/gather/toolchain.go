package gather

import "github.com/cargo-nix-unit/cargo-nix-unit/internal/toolchain"

// useToolchain applies --toolchain; the hash of a toolchain's store copy is
// remembered per toolchain (every workspace shares it) unless NoCache.
func useToolchain(tc *toolchain.Toolchain, cfg *Config) error {
	mode := cfg.Toolchain
	if mode == "" {
		mode = toolchain.StoreMode
	}
	return tc.Use(mode, !cfg.NoCache)
}
