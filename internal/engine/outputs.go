package engine

import (
	"os"
	"path/filepath"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// writtenPaths are the absolute paths the build writes, which never enter a
// package's source nor its no-op fingerprint: the result link -o names.
func writtenPaths(g *unitgraph.Graph, cfg *Config) []string {
	var paths []string
	if cfg.OutLink != "" && !cfg.NoLink {
		link := cfg.OutLink
		if !filepath.IsAbs(link) {
			// nix build makes the link relative to where the tool runs.
			if wd, err := os.Getwd(); err == nil {
				link = filepath.Join(wd, link)
			}
		}
		paths = append(paths, filepath.Clean(link))
	}
	return paths
}
