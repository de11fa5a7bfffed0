package report

import (
	"strings"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
)

func TestFailedBuilds(t *testing.T) {
	unit := &plan.Node{Name: "app-0.1.0-bin"}
	nodes := map[string]*plan.Node{"/nix/store/aaa-app-0.1.0-bin.drv": unit}
	nodeOf := func(drv string) *plan.Node { return nodes[drv] }
	drvName := func(drv string) string { return strings.TrimSuffix(drv[len("/nix/store/aaa-"):], ".drv") }
	logs := map[string][]string{
		"/nix/store/aaa-app-0.1.0-bin.drv": {"\x1b[31merror\x1b[0m: expected `;`"},
		"/nix/store/aaa-other.drv":         {"boom"},
	}
	for _, tc := range []struct {
		name  string
		drvs  []string
		color bool
		want  string
	}{
		{"a unit, by its node", []string{"/nix/store/aaa-app-0.1.0-bin.drv"}, false,
			"could not build app-0.1.0-bin\nerror: expected `;`\nderivation: /nix/store/aaa-app-0.1.0-bin.drv\nfull log: nix log /nix/store/aaa-app-0.1.0-bin.drv"},
		{"colour kept", []string{"/nix/store/aaa-app-0.1.0-bin.drv"}, true,
			"could not build app-0.1.0-bin\n\x1b[31merror\x1b[0m: expected `;`\nderivation: /nix/store/aaa-app-0.1.0-bin.drv\nfull log: nix log /nix/store/aaa-app-0.1.0-bin.drv"},
		{"no node: by name, in Nix's order", []string{"/nix/store/aaa-other.drv", "/nix/store/aaa-app-0.1.0-bin.drv"}, false,
			"could not build other\nboom\nderivation: /nix/store/aaa-other.drv\nfull log: nix log /nix/store/aaa-other.drv\n" +
				"could not build app-0.1.0-bin\nerror: expected `;`\nderivation: /nix/store/aaa-app-0.1.0-bin.drv\nfull log: nix log /nix/store/aaa-app-0.1.0-bin.drv"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := FailedBuilds(tc.drvs, logs, nodeOf, drvName, "/src", tc.color)
			if e.Msg != tc.want {
				t.Errorf("message\n%q\nwant\n%q", e.Msg, tc.want)
			}
			if len(e.Units) != len(tc.drvs) {
				t.Fatalf("%d units, want %d", len(e.Units), len(tc.drvs))
			}
			for k, f := range e.Units {
				if want := nodes[tc.drvs[k]]; f.Node != want || f.Drv != tc.drvs[k] {
					t.Errorf("unit %d: node %v drv %s, want %v %s", k, f.Node, f.Drv, want, tc.drvs[k])
				}
			}
		})
	}
}
