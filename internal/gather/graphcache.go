package gather

import (
	"context"
	"encoding/json"
	"os"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/cache"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/toolchain"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// graphCache keeps Cargo's and rustc's answers for the next run: an edit of a
// source file changes neither, so they are reused until a manifest, the lock
// file, a configuration file, a program or a relevant variable changes, or a
// file Cargo discovers targets or members by comes or goes.
type graphCache struct {
	Key       string               `json:"key"`
	Inputs    cache.Inputs         `json:"inputs"`
	Graph     json.RawMessage      `json:"graph"`
	Metadata  json.RawMessage      `json:"metadata"`
	Toolchain *toolchain.Toolchain `json:"toolchain"`
}

// loadGraph returns the unit graph and the detected toolchain, from the cache
// when nothing they depend on changed.
func loadGraph(ctx context.Context, cfg *Config) (*unitgraph.Graph, *toolchain.Toolchain, error) {
	q := cfg.Query
	args := append([]string{"cargo=" + q.Cargo, "rustc=" + cfg.Rustc, "command=" + q.Command, "--"}, q.BuildArgs...)
	args = append(append(args, "--metadata--"), q.MetadataArgs...)
	dir := q.Dir
	if dir == "" {
		dir, _ = os.Getwd()
	}
	environ := os.Environ()
	path, pathErr := cache.Location("graph", dir, args)
	if pathErr == nil && !cfg.NoCache {
		if b, err := os.ReadFile(path); err == nil {
			var c graphCache
			if json.Unmarshal(b, &c) == nil && c.Toolchain != nil {
				if key, _, err := cache.Fingerprint(args, environ, c.Inputs); err == nil && key == c.Key {
					if g, err := unitgraph.Parse(c.Graph, c.Metadata); err == nil {
						return g, c.Toolchain, nil
					}
				}
			}
		}
	}
	graphJSON, mdJSON, err := Ask(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	g, err := unitgraph.Parse(graphJSON, mdJSON)
	if err != nil {
		return nil, nil, err
	}
	var targets []string
	seen := map[string]bool{}
	for _, u := range g.Units {
		if u.Platform != nil && !seen[*u.Platform] {
			seen[*u.Platform] = true
			targets = append(targets, *u.Platform)
		}
	}
	tc, err := toolchain.Detect(ctx, cfg.Rustc, targets)
	if err != nil {
		return nil, nil, err
	}
	if pathErr == nil {
		c := graphCache{Inputs: cache.Inputs{Files: SettingsFiles(dir, g, cfg, tc.Rustc), Layout: LayoutPaths(g)},
			Graph: graphJSON, Metadata: mdJSON, Toolchain: tc}
		// Saved only when nothing changed while Cargo read it.
		if key, newest, err := cache.Fingerprint(args, environ, c.Inputs); err == nil && newest.Before(cfg.Start) {
			c.Key = key
			if b, err := json.Marshal(c); err == nil {
				cache.WriteAtomic(path, b)
			}
		}
	}
	return g, tc, nil
}
