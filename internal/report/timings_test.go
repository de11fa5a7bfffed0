package report

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
)

func TestTimingsPrint(t *testing.T) {
	tm := &Timings{Cargo: 1500 * time.Millisecond, Plan: 20 * time.Millisecond, Register: time.Second, Build: 3 * time.Second,
		Added: 4, Builders: job.Timings{"setup": 0.5, "run": 2, "output": 0.25}}
	for _, tc := range []struct {
		units int
		built bool
		want  string
	}{
		{1, false, `^     Timings unit graph 1\.500s, plan 0\.020s \(1 unit\), register 1\.000s \(4 added\), peak memory \d+ MB\n$`},
		{2, true, `^     Timings unit graph 1\.500s, plan 0\.020s \(2 units\), register 1\.000s \(4 added\), nix build 3\.000s \(builders: setup 0\.500s, run 2\.000s, output 0\.250s\), peak memory \d+ MB\n$`},
	} {
		var w strings.Builder
		pr, _ := NewPrinter(&w, ColorNever, ProgressPlain, false, false)
		tm.Print(pr, tc.units, tc.built)
		if !regexp.MustCompile(tc.want).MatchString(w.String()) {
			t.Errorf("printed %q, want %s", w.String(), tc.want)
		}
	}
}
