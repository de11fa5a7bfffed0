package report

import (
	"strings"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
)

// Failures are labelled by their nodes, the plan's units come first in the
// order of their keys (whichever Nix finished first), then the others by
// name in Nix's order.
func TestFailedBuilds(t *testing.T) {
	const app, lib, other = "/nix/store/aaa-app-0.1.0-bin.drv", "/nix/store/aaa-lib-0.2.0-lib.drv", "/nix/store/aaa-other.drv"
	nodes := map[string]*plan.Node{
		app: {Key: "app-0.1.0-bin", Name: "app-0.1.0-bin"},
		lib: {Key: "lib-0.2.0-lib", Name: "lib-0.2.0-lib"},
	}
	nodeOf := func(drv string) *plan.Node { return nodes[drv] }
	drvName := func(drv string) string { return strings.TrimSuffix(drv[len("/nix/store/aaa-"):], ".drv") }
	logs := map[string][]string{
		app:   {"\x1b[31merror\x1b[0m: expected `;`"},
		lib:   {"error[E0308]: mismatched types"},
		other: {"boom"},
	}
	shown := map[string]string{
		app:   "could not build app-0.1.0-bin\nerror: expected `;`\nderivation: " + app + "\nfull log: nix log " + app,
		lib:   "could not build lib-0.2.0-lib\nerror[E0308]: mismatched types\nderivation: " + lib + "\nfull log: nix log " + lib,
		other: "could not build other\nboom\nderivation: " + other + "\nfull log: nix log " + other,
	}
	for _, tc := range []struct {
		name  string
		drvs  []string // in Nix's order
		color bool
		want  []string // the derivations in the message's order
		msg   string   // the message, when not the shown ones in order
	}{
		{name: "a unit, by its node", drvs: []string{app}, want: []string{app}},
		{name: "colour kept", drvs: []string{app}, color: true, want: []string{app},
			msg: "could not build app-0.1.0-bin\n\x1b[31merror\x1b[0m: expected `;`\nderivation: " + app + "\nfull log: nix log " + app},
		{name: "units by key, then others by name", drvs: []string{other, lib, app}, want: []string{app, lib, other}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := FailedBuilds(tc.drvs, logs, nodeOf, drvName, "/src", tc.color)
			want := tc.msg
			if want == "" {
				var parts []string
				for _, d := range tc.want {
					parts = append(parts, shown[d])
				}
				want = strings.Join(parts, "\n")
			}
			if e.Msg != want {
				t.Errorf("message\n%q\nwant\n%q", e.Msg, want)
			}
			if len(e.Units) != len(tc.want) {
				t.Fatalf("%d units, want %d", len(e.Units), len(tc.want))
			}
			for k, f := range e.Units {
				if f.Node != nodes[tc.want[k]] || f.Drv != tc.want[k] {
					t.Errorf("unit %d: node %v drv %s, want %v %s", k, f.Node, f.Drv, nodes[tc.want[k]], tc.want[k])
				}
			}
		})
	}
}
