package engine

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/nixbuild"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/share"
)

// printNotices shows Nix's warnings of the build (an unreachable substituter,
// unsigned substitutes, ...) as one line per cause. Nix builds what a
// substituter failed to supply, so none of them stops the build.
func printNotices(pr *Printer, t *nixbuild.Tracker) {
	for _, n := range share.Notices(t.Warnings) {
		pr.Status("Note", n)
	}
}

// substitutedUnits lists the units whose outputs Nix substituted, in the
// order it fetched them. An output path is named as its unit's derivation.
func (p *Plan) substitutedUnits(t *nixbuild.Tracker, r *Report) []int {
	done := map[int]bool{}
	for _, i := range r.Built {
		done[i] = true
	}
	for _, i := range r.CutOff {
		done[i] = true
	}
	byName := map[string]int{}
	for i := range p.Units {
		byName[p.Units[i].Name] = i
	}
	var out []int
	for _, path := range t.Substituted {
		if i, ok := byName[nixbuild.DrvName(path)]; ok && !done[i] {
			done[i] = true
			out = append(out, i)
		}
	}
	return out
}

// realisationSample bounds how many built outputs are looked up in caches.
const realisationSample = 8

// noticeMissingRealisations explains a cold build that a cache could have
// spared: Nix finds a content-addressed output only through its realisation,
// so a cache holding the outputs without realisations (filled with
// `nix copy PATH`, or an S3 cache, nix#11748) supplies nothing. Asked only
// when most units were built, of a few of them, and only of the substituters
// Nix uses; any failure to ask says nothing.
func (p *Plan) noticeMissingRealisations(ctx context.Context, cfg *Config, t *nixbuild.Tracker, r *Report) {
	if len(r.Built) == 0 || 2*len(r.Built) < len(p.Units) {
		return
	}
	subs, err := share.Substituters(ctx, cfg.Nix)
	if err != nil || len(subs) == 0 {
		return
	}
	var drvs []string
	for _, i := range r.Built[:min(len(r.Built), realisationSample)] {
		drvs = append(drvs, p.Units[i].Path)
	}
	outs, err := nixbuild.OutPaths(ctx, cfg.Nix, drvs)
	if err != nil {
		return
	}
	var paths []string
	for _, o := range outs {
		paths = append(paths, o)
	}
	unreachable := share.Unreachable(t.Warnings)
	for _, s := range subs {
		if unreachable[s] {
			continue
		}
		has, err := share.Has(ctx, cfg.Nix, s, paths)
		if err != nil || len(has) == 0 {
			continue
		}
		cfg.printer().Status("Note", fmt.Sprintf("substituter %s holds the outputs of units built here (%s) but not their realisations, "+
			"through which Nix finds content-addressed outputs; push with `cargo nix-unit push` (nix copy DRV^out), not nix copy PATH",
			s, strings.Join(sampleNames(has), ", ")))
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
