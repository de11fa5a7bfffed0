package engine

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/nixbuild"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/report"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/share"
)

// printNotices shows Nix's warnings of the build (an unreachable substituter,
// unsigned substitutes, ...) as one line per cause. Nix builds what a
// substituter failed to supply, so none of them stops the build.
func printNotices(pr *report.Printer, t *nixbuild.Tracker) {
	for _, n := range share.Notices(t.Warnings) {
		pr.Status("Note", n)
	}
}

// markSubstituted marks the cached nodes whose outputs Nix substituted. An
// input-addressed node's output path is known; a content-addressed node's
// output is named as its derivation, and no two nodes share a name.
func markSubstituted(p *plan.Plan, t *nixbuild.Tracker) {
	byOut, byName := map[string]*plan.Node{}, map[string]*plan.Node{}
	for _, n := range p.Nodes {
		if n.Out != "" {
			byOut[n.Out] = n
		}
		byName[n.Name] = n
	}
	for _, path := range t.Substituted {
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

// noticeMissingRealisations explains a cold build that a cache could have
// spared: Nix finds a content-addressed output only through its realisation,
// so a cache holding the outputs without realisations (filled with
// `nix copy PATH`, or an S3 cache, nix#11748) supplies nothing. Asked only
// when most units were built, of a few of them, and only of the substituters
// Nix uses; any failure to ask says nothing.
func (s *session) noticeMissingRealisations(ctx context.Context, t *nixbuild.Tracker) {
	built := 0
	for _, n := range s.plan.Nodes {
		if n.Status == plan.StatusBuilt {
			built++
		}
	}
	if built == 0 || 2*built < len(s.plan.Nodes) {
		return
	}
	subs, err := share.Substituters(ctx, s.cfg.Nix)
	if err != nil || len(subs) == 0 {
		return
	}
	if _, err := s.resolveOutputs(ctx); err != nil {
		return
	}
	var paths []string
	for _, n := range s.plan.Nodes {
		if n.Status == plan.StatusBuilt && n.Out != "" && len(paths) < realisationSample {
			paths = append(paths, n.Out)
		}
	}
	unreachable := share.Unreachable(t.Warnings)
	for _, sub := range subs {
		if unreachable[sub] {
			continue
		}
		has, err := share.Has(ctx, s.cfg.Nix, sub, paths)
		if err != nil || len(has) == 0 {
			continue
		}
		s.cfg.printer().Status("Note", fmt.Sprintf("substituter %s holds the outputs of units built here (%s) but not their realisations, "+
			"through which Nix finds content-addressed outputs; push with `cargo nix-unit push` (nix copy DRV^out), not nix copy PATH",
			sub, strings.Join(sampleNames(has), ", ")))
		return
	}
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
