package graphview

import (
	"strings"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

func TestKeys(t *testing.T) {
	triple := "aarch64-unknown-linux-gnu"
	unit := func(mode string, platform *string, opt string, features ...string) unitgraph.Unit {
		return unitgraph.Unit{Mode: mode, Platform: platform, Profile: unitgraph.Profile{OptLevel: opt, Debuginfo: "0"}, Features: features}
	}
	for _, tc := range []struct {
		name  string
		units []unitgraph.Unit
		names []string
		want  string
	}{
		{"distinct names stay", []unitgraph.Unit{unit("build", nil, "0"), unit("build", nil, "0")}, []string{"a", "b"}, "a b"},
		{"doctest", []unitgraph.Unit{unit("build", nil, "0"), unit("doctest", nil, "0")}, []string{"a", "a"}, "a a@doctest"},
		{"host and target", []unitgraph.Unit{unit("build", nil, "0"), unit("build", &triple, "0")}, []string{"a", "a"}, "a a@" + triple},
		{"build override", []unitgraph.Unit{unit("build", nil, "3"), unit("build", nil, "0")}, []string{"a", "a"}, "a@opt3 a@opt0"},
		{"features", []unitgraph.Unit{unit("build", nil, "0", "x"), unit("build", nil, "0")}, []string{"a", "a"}, "a@features=x a@features="},
		{"identical", []unitgraph.Unit{unit("build", nil, "0"), unit("build", nil, "0")}, []string{"a", "a"}, "a#1 a#2"},
	} {
		got := strings.Join(Keys(&unitgraph.Graph{Units: tc.units}, tc.names), " ")
		if got != tc.want {
			t.Errorf("%s: keys %q, want %q", tc.name, got, tc.want)
		}
	}
}
