// Package gather collects everything planning needs — Cargo's unit graph and
// metadata, rustc's answers, Cargo's configuration, the manifests and the
// packages' sources — into one plan.Input. It does all of the tool's reading
// before a build, and remembers answers across runs where nothing they depend
// on changed.
package gather

import (
	"context"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/cache"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/source"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/toolchain"
)

// Config says what to gather.
type Config struct {
	Query       Query
	Rustc       string         // "" = rustc on PATH
	Toolchain   toolchain.Mode // --toolchain: "" = store
	Nix         string         // the nix program, part of the no-op fingerprint
	BuilderPath string         // "" = next to this program
	// NoCache asks Cargo and rustc again and hashes every source.
	NoCache bool
	// Clippy lints the workspace members with the toolchain's clippy-driver
	// (`cargo clippy`), given ClippyArgs (those after `--`).
	Clippy     bool
	ClippyArgs []string
	// Describe gathers what the plan file needs besides (Describe).
	Describe bool
	// Start is when the command started: caches record only older inputs.
	Start time.Time
	// OutLink is the result link the build makes ("" for none), kept out of
	// every source.
	OutLink string
	// Test is what `test` runs, for the plan (Query.Command is then "test").
	Test *plan.TestInput
	// Fetched are registry crates to plan against offline, unpacked for
	// Cargo into a directory removed when Gather returns (for the plan file
	// only: the Result's trees of these crates are gone).
	Fetched []Fetched
}

// Result is what Gather found.
type Result struct {
	Input     *plan.Input
	Toolchain *toolchain.Toolchain
	Builder   *source.Tree // the builder executable, by content
	// Trees are the package sources to add to the store, sorted by store path.
	Trees []*source.Tree
	// Crates are the registry crates' .crate files in Cargo's cache, by their
	// Cargo.lock checksum: the outputs of the fetches (plan.Fetch) the store
	// may lack.
	Crates map[string]string
	// Cargo is the time Cargo's and rustc's answers took (or reading them back).
	Cargo time.Duration
}

// Gather asks Cargo and rustc (or their remembered answers), reads the
// configuration and manifests, and lists and hashes every package's source.
func Gather(ctx context.Context, cfg *Config) (*Result, error) {
	start := time.Now()
	if cfg.Start.IsZero() {
		cfg.Start = start
	}
	if len(cfg.Fetched) > 0 {
		vendored, done, err := withFetched(cfg)
		if err != nil {
			return nil, err
		}
		defer done()
		cfg = vendored
	}
	g, tc, err := loadGraph(ctx, cfg)
	if err != nil {
		return nil, err
	}
	r := &Result{Toolchain: tc, Cargo: time.Since(start)}
	if err := useToolchain(tc, cfg); err != nil {
		return nil, err
	}
	hashes := openHashCache(cfg)
	defer hashes.Save()
	if r.Builder, err = FindBuilder(cfg.BuilderPath, hashes); err != nil {
		return nil, err
	}
	in := &plan.Input{Graph: g, Sources: map[string]*plan.Source{}, Test: cfg.Test}
	if r.Trees, err = sources(ctx, in, hashes, WrittenPaths(g, cfg.OutLink)); err != nil {
		return nil, err
	}
	if err := Configure(ctx, in, tc, cfg.Query.Dir); err != nil {
		return nil, err
	}
	if r.Crates, err = Origins(in, cfg.Query.Dir, cfg.Fetched); err != nil {
		return nil, err
	}
	if cfg.Clippy {
		if in.Clippy, err = clippy(tc, cfg.ClippyArgs); err != nil {
			return nil, err
		}
	}
	if cfg.Describe {
		if err := Describe(in, tc); err != nil {
			return nil, err
		}
	}
	r.Input = in
	return r, nil
}

// openHashCache opens the cache of source hashes of the workspace the command
// runs in; nil (hash everything) with NoCache or without a cache directory.
func openHashCache(cfg *Config) *cache.HashCache {
	if cfg.NoCache {
		return nil
	}
	dir := cfg.Query.Dir
	if dir == "" {
		dir, _ = os.Getwd()
	}
	path, err := cache.Location("hashes", dir, nil)
	if err != nil {
		return nil
	}
	return cache.OpenHashCache(path)
}

// sources lists and hashes every package's source into in.Sources, leaving
// out the paths exclude names, and returns the trees to add to the store.
func sources(ctx context.Context, in *plan.Input, hashes *cache.HashCache, exclude []string) ([]*source.Tree, error) {
	var trees []*source.Tree
	lister := &source.Lister{Cache: hashes, Exclude: exclude}
	crates := &source.Lister{Cache: hashes, Exclude: exclude, Unpacked: true}
	for _, u := range in.Graph.Units {
		pkg := u.Package
		if _, ok := in.Sources[pkg.ID]; ok {
			continue
		}
		name := plan.SanitizeName(pkg.Name + "-" + pkg.Version + "-source")
		l := lister
		if !pkg.IsPath() {
			l = crates
		}
		t, err := l.Select(ctx, pkg.Dir(), name)
		if err != nil {
			return nil, fmt.Errorf("package %s %s: %w", pkg.Name, pkg.Version, err)
		}
		in.Sources[pkg.ID] = planSource(t)
		trees = append(trees, t)
	}
	scripts, err := buildScriptSources(in, hashes)
	if err != nil {
		return nil, err
	}
	trees = append(trees, scripts...)
	sort.Slice(trees, func(i, j int) bool { return trees[i].Path < trees[j].Path })
	return trees, nil
}

func planSource(t *source.Tree) *plan.Source {
	return &plan.Source{Name: t.Name, Dir: t.Dir, Files: t.Files, Path: t.Path, NarHash: t.NarHash}
}
