package gather

import (
	"os"
	"path/filepath"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// WrittenPaths are the absolute paths the build writes, which never enter a
// package's source nor its no-op fingerprint: Cargo's target directory
// wherever it is configured (CARGO_TARGET_DIR, build.target-dir; it holds the
// tool's build record), the result link outLink names ("" for none), and the
// tool's cache.
func WrittenPaths(g *unitgraph.Graph, outLink string) []string {
	var paths []string
	if t := g.Workspace.TargetDirectory; t != "" {
		paths = append(paths, t)
	}
	if outLink != "" {
		link := outLink
		if !filepath.IsAbs(link) {
			// nix build makes the link relative to where the tool runs.
			if wd, err := os.Getwd(); err == nil {
				link = filepath.Join(wd, link)
			}
		}
		paths = append(paths, filepath.Clean(link))
	}
	if cache, err := os.UserCacheDir(); err == nil {
		paths = append(paths, filepath.Join(cache, "cargo-nix-unit"))
	}
	return paths
}
