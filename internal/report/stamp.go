package report

import (
	"bytes"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/cache"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
)

// StampResult is what a finished build of p printed and produced, as the
// no-op stamp keeps it to show again (Replayed): out is the result's store
// path, outLink the absolute path of its link ("" without one).
func StampResult(p *plan.Plan, out, outLink string) cache.Result {
	res := cache.Result{Out: out, OutLink: outLink, DocPages: p.DocPages()}
	res.Profile, res.Traits = Profile(p)
	for _, n := range p.Nodes {
		res.Units = append(res.Units, n.String())
	}
	var w bytes.Buffer
	if Warnings(&w, p, out, true) == nil {
		res.Warnings = w.String()
	}
	return res
}

// Replayed prints a build replayed from its stamp as the build printed it:
// every unit fresh (-v), the path packages' diagnostics and the summary,
// every unit cached.
func Replayed(pr *Printer, res *cache.Result, elapsed time.Duration) {
	if pr.Verbose {
		for _, u := range res.Units {
			pr.Status("Fresh", u)
		}
	}
	pr.Diagnostics(res.Warnings)
	s := &Summary{Out: res.Out, Units: len(res.Units), Cached: len(res.Units),
		Elapsed: elapsed, Profile: res.Profile, Traits: res.Traits}
	s.Print(pr)
}
