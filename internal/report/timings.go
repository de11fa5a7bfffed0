package report

import (
	"fmt"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
)

// Timings split the tool's time between Cargo's answers, its own planning,
// registration and nix build (--timings).
type Timings struct {
	Cargo, Plan, Register, Build time.Duration
	Added                        int // derivations registered by this run
	// Builders sums the phases of the builders that ran (job.Timings).
	Builders job.Timings
}

// Print shows the timings of a plan of units on one line, the builders'
// phases when built (else the run stopped before nix build), and this
// process's peak memory.
func (t *Timings) Print(pr *Printer, units int, built bool) {
	line := fmt.Sprintf("unit graph %.3fs, plan %.3fs (%d %s), register %.3fs (%d added)",
		t.Cargo.Seconds(), t.Plan.Seconds(), units, Plural(units, "unit"), t.Register.Seconds(), t.Added)
	if built {
		b := t.Builders
		line += fmt.Sprintf(", nix build %.3fs (builders: setup %.3fs, run %.3fs, output %.3fs)",
			t.Build.Seconds(), b["setup"], b["run"], b["output"])
	}
	pr.Status("Timings", fmt.Sprintf("%s, peak memory %d MB", line, peakMemoryMB()))
}
