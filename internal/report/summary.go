package report

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
)

// Summary is what a finished build says at the end.
type Summary struct {
	Out    string // the result's store path
	Units  int
	Built  int // builders that ran
	CutOff int // content-addressed units resolved to an existing result
	Cached int // already in the store
	// Substituted counts units whose outputs Nix fetched from a substituter.
	Substituted int
	Registered  int // derivations this run added to the store
	Elapsed     time.Duration
	// Profile and Traits describe the roots' profile as Cargo's "Finished"
	// line does: `dev`, "unoptimized + debuginfo".
	Profile, Traits string
}

// Summarize counts the nodes by status and names the roots' profile.
func Summarize(p *plan.Plan, out string, elapsed time.Duration) *Summary {
	s := &Summary{Out: out, Units: len(p.Nodes), Elapsed: elapsed}
	for _, n := range p.Nodes {
		switch n.Status {
		case plan.StatusBuilt:
			s.Built++
		case plan.StatusCutOff:
			s.CutOff++
		case plan.StatusSubstituted:
			s.Substituted++
		default:
			s.Cached++
		}
	}
	s.Profile, s.Traits = Profile(p)
	return s
}

// Profile names the roots' profile and its traits, as Cargo's "Finished" line.
func Profile(p *plan.Plan) (name, traits string) {
	if len(p.Roots) == 0 {
		return "", ""
	}
	prof := p.Roots[0].Unit.Profile
	traits = "unoptimized"
	if prof.OptLevel != "0" {
		traits = "optimized"
	}
	if prof.Debuginfo != "0" && prof.Debuginfo != "" {
		traits += " + debuginfo"
	}
	return prof.Name, traits
}

// Print writes Cargo's closing line and the unit counts.
func (s *Summary) Print(pr *Printer) {
	pr.Status("Finished", fmt.Sprintf("`%s` profile [%s] target(s) in %.2fs", s.Profile, s.Traits, s.Elapsed.Seconds()))
	if pr.Quiet {
		return
	}
	line := fmt.Sprintf("%d %s: %d built, %d cached", s.Units, Plural(s.Units, "unit"), s.Built, s.Cached)
	if s.CutOff > 0 {
		line += fmt.Sprintf(", %d cut off early", s.CutOff)
	}
	if s.Substituted > 0 {
		line += fmt.Sprintf(", %d substituted", s.Substituted)
	}
	pr.Line(line)
}

// Plural is word, or its plural unless n is 1.
func Plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// DocPages names the documented roots' pages below base (the result's link or
// path), as Cargo's "Generated" line does: the first, and how many others.
func DocPages(pr *Printer, base string, pages []string) {
	if len(pages) == 0 || pr.Quiet {
		return
	}
	line := filepath.Join(base, pages[0])
	switch n := len(pages) - 1; {
	case n == 1:
		line += " and 1 other file"
	case n > 1:
		line += fmt.Sprintf(" and %d other files", n)
	}
	pr.Status("Generated", line)
}
