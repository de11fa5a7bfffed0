package report

import (
	"encoding/json"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// The count line after a unit's warnings, with Cargo's fix hint (compared
// with cargo 1.95's output in e2e's TestCheckAndClippy).
func TestWarningCount(t *testing.T) {
	fixable := json.RawMessage(`{"level":"warning","children":[{"spans":[{"suggestion_applicability":"MachineApplicable"}]}]}`)
	notFixable := json.RawMessage(`{"level":"warning","children":[{"spans":[{"suggestion_applicability":"MaybeIncorrect"}]}]}`)
	note := json.RawMessage(`{"level":"note","children":[{"spans":[{"suggestion_applicability":"MachineApplicable"}]}]}`)
	registry := "registry+https://example.invalid/index"
	lib := unitgraph.Target{Kind: []string{"lib"}, CrateTypes: []string{"lib"}, Name: "tally"}
	bin := unitgraph.Target{Kind: []string{"bin"}, CrateTypes: []string{"bin"}, Name: "app"}
	script := unitgraph.Target{Kind: []string{"custom-build"}, CrateTypes: []string{"bin"}, Name: "build-script-build"}
	for _, tc := range []struct {
		name   string
		unit   unitgraph.Unit
		msgs   []json.RawMessage
		clippy *plan.Clippy
		want   string
	}{
		{"lib", unitgraph.Unit{Mode: "check", Target: lib}, []json.RawMessage{fixable, notFixable},
			nil, "`p` (lib) generated 2 warnings (run `cargo fix --lib -p p` to apply 1 suggestion)"},
		{"none fixable", unitgraph.Unit{Mode: "check", Target: lib}, []json.RawMessage{notFixable, note},
			nil, "`p` (lib) generated 1 warning"},
		{"bin", unitgraph.Unit{Mode: "build", Target: bin}, []json.RawMessage{fixable, fixable},
			nil, "`p` (bin \"app\") generated 2 warnings (run `cargo fix --bin \"app\"` to apply 2 suggestions)"},
		{"lib test", unitgraph.Unit{Mode: "test", Target: lib}, []json.RawMessage{fixable},
			nil, "`p` (lib test) generated 1 warning (run `cargo fix --lib -p p --tests` to apply 1 suggestion)"},
		{"clippy", unitgraph.Unit{Mode: "check", Target: lib}, []json.RawMessage{fixable},
			&plan.Clippy{Args: []string{"-W", "clippy::pedantic"}}, "`p` (lib) generated 1 warning (run `cargo clippy --fix --lib -p p -- -W clippy::pedantic` to apply 1 suggestion)"},
		{"clippy without arguments", unitgraph.Unit{Mode: "check", Target: lib}, []json.RawMessage{fixable},
			&plan.Clippy{}, "`p` (lib) generated 1 warning (run `cargo clippy --fix --lib -p p -- ` to apply 1 suggestion)"},
		{"doc", unitgraph.Unit{Mode: "doc", Target: lib}, []json.RawMessage{fixable},
			nil, "`p` (lib doc) generated 1 warning"},
		{"build script", unitgraph.Unit{Mode: "build", Target: script}, []json.RawMessage{fixable},
			nil, "`p` (build script) generated 1 warning"},
		{"registry", unitgraph.Unit{Mode: "check", Target: lib, Package: &unitgraph.Package{Name: "p", Source: &registry}}, []json.RawMessage{fixable},
			nil, "`p` (lib) generated 1 warning"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := tc.unit
			if u.Package == nil {
				u.Package = &unitgraph.Package{Name: "p", Member: true}
			}
			d := &job.Diagnostics{Messages: tc.msgs}
			for _, m := range tc.msgs {
				var msg struct{ Level string }
				json.Unmarshal(m, &msg)
				if msg.Level == "warning" {
					d.Warnings++
				}
			}
			if got := warningCount(&plan.Node{Unit: &u}, d, tc.clippy); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
