package report

import (
	"strings"
	"testing"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/cache"
)

func TestReplayed(t *testing.T) {
	res := &cache.Result{Out: "/nix/store/x-result", Units: []string{"a v0.1.0 (lib)", "b v0.1.0 (bin)"},
		Profile: "dev", Traits: "unoptimized + debuginfo", Warnings: "warning: unused variable\n"}
	finished := "    Finished `dev` profile [unoptimized + debuginfo] target(s) in 0.25s\n"
	for _, tc := range []struct {
		name           string
		quiet, verbose bool
		want           string
	}{
		{"plain", false, false, "warning: unused variable\n" + finished + "2 units: 0 built, 2 cached\n"},
		{"verbose: every unit fresh", false, true,
			"       Fresh a v0.1.0 (lib)\n       Fresh b v0.1.0 (bin)\nwarning: unused variable\n" + finished + "2 units: 0 built, 2 cached\n"},
		{"quiet", true, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var w strings.Builder
			pr, err := NewPrinter(&w, ColorNever, ProgressPlain, tc.quiet, tc.verbose)
			if err != nil {
				t.Fatal(err)
			}
			Replayed(pr, res, 250*time.Millisecond)
			if w.String() != tc.want {
				t.Errorf("printed\n%q\nwant\n%q", w.String(), tc.want)
			}
		})
	}
}
