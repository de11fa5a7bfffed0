package share

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/nixbuild"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
)

// MarkSubstituted marks the cached nodes whose outputs Nix substituted (the
// store paths of the build's log). An input-addressed node's output path is
// known; a content-addressed node's output is named as its derivation, and no
// two nodes share a name.
func MarkSubstituted(nodes []*plan.Node, substituted []string) {
	byOut, byName := map[string]*plan.Node{}, map[string]*plan.Node{}
	for _, n := range nodes {
		if n.Out != "" {
			byOut[n.Out] = n
		}
		byName[n.Name] = n
	}
	for _, path := range substituted {
		n := byOut[path]
		if n == nil {
			n = byName[nixbuild.DrvName(path)]
		}
		if n != nil && n.Status == plan.StatusCached {
			n.Status = plan.StatusSubstituted
		}
	}
}

// realisationSample bounds how many built outputs are looked up in caches.
const realisationSample = 8

// MissingRealisations explains a cold build that a cache could have spared:
// Nix finds a content-addressed output only through its realisation, so a
// cache holding the outputs without realisations (filled with `nix copy
// PATH`, or an S3 cache, nix#11748) supplies nothing. It asks only when most
// of nodes were built, of a few of them, and only the substituters Nix uses
// and reached (warnings are the build's); resolve sets the built nodes' Out,
// and is called only then. "" when there is nothing to say: any failure to
// ask says nothing.
func MissingRealisations(ctx context.Context, nix string, nodes []*plan.Node, warnings []string, resolve func() error) string {
	built := 0
	for _, n := range nodes {
		if n.Status == plan.StatusBuilt {
			built++
		}
	}
	if built == 0 || 2*built < len(nodes) {
		return ""
	}
	subs, err := Substituters(ctx, nix)
	if err != nil || len(subs) == 0 {
		return ""
	}
	if err := resolve(); err != nil {
		return ""
	}
	var paths []string
	for _, n := range nodes {
		if n.Status == plan.StatusBuilt && n.Out != "" && len(paths) < realisationSample {
			paths = append(paths, n.Out)
		}
	}
	unreachable := Unreachable(warnings)
	for _, sub := range subs {
		if unreachable[sub] {
			continue
		}
		has, err := Has(ctx, nix, sub, paths)
		if err != nil || len(has) == 0 {
			continue
		}
		return fmt.Sprintf("substituter %s holds the outputs of units built here (%s) but not their realisations, "+
			"through which Nix finds content-addressed outputs; push with `cargo nix-unit push` (nix copy DRV^out), not nix copy PATH",
			sub, strings.Join(sampleNames(has), ", "))
	}
	return ""
}

// sampleNames names the units of store paths, at most three.
func sampleNames(paths map[string]bool) []string {
	var names []string
	for p := range paths {
		names = append(names, nixbuild.DrvName(p))
	}
	sort.Strings(names)
	if len(names) > 3 {
		names = append(names[:3], "…")
	}
	return names
}
