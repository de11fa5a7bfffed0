package plan

import (
	"strings"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

func TestKeys(t *testing.T) {
	triple := "aarch64-unknown-linux-gnu"
	pkgA := &unitgraph.Package{Name: "a", Version: "1.0.0"}
	pkgB := &unitgraph.Package{Name: "b", Version: "1.0.0"}
	lib := unitgraph.Target{Kind: []string{"lib"}, CrateTypes: []string{"lib"}, Name: "a"}
	unit := func(mode string, platform *string, opt string, features ...string) unitgraph.Unit {
		return unitgraph.Unit{Mode: mode, Platform: platform, Profile: unitgraph.Profile{OptLevel: opt, Debuginfo: "0"},
			Features: features, Target: lib, Package: pkgA}
	}
	other := unit("build", nil, "0")
	other.Package = pkgB
	other.Target.Name = "b"
	for _, tc := range []struct {
		name  string
		units []unitgraph.Unit
		want  string
	}{
		{"distinct names stay", []unitgraph.Unit{unit("build", nil, "0"), other}, "a-1.0.0-lib b-1.0.0-lib"},
		{"doctest", []unitgraph.Unit{unit("build", nil, "0"), unit("doctest", nil, "0")}, "a-1.0.0-lib a-1.0.0-doctest"},
		{"host and target", []unitgraph.Unit{unit("build", nil, "0"), unit("build", &triple, "0")}, "a-1.0.0-lib@host a-1.0.0-lib"},
		{"build override", []unitgraph.Unit{unit("build", nil, "3"), unit("build", nil, "0")}, "a-1.0.0-lib@opt3 a-1.0.0-lib@opt0"},
		{"features", []unitgraph.Unit{unit("build", nil, "0", "x"), unit("build", nil, "0")}, "a-1.0.0-lib@features=x a-1.0.0-lib@features="},
		{"identical", []unitgraph.Unit{unit("build", nil, "0"), unit("build", nil, "0")}, "a-1.0.0-lib#1 a-1.0.0-lib#2"},
	} {
		got := strings.Join(Keys(&unitgraph.Graph{Units: tc.units}), " ")
		if got != tc.want {
			t.Errorf("%s: keys %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestNames(t *testing.T) {
	keys := []string{"a-1.0.0-lib@opt3", "a-1.0.0-lib@opt0", "a-1.0.0-lib@features=x,y", "a-1.0.0-lib#1", "a-1.0.0-lib@host", "a_1.0.0-lib", "a@1.0.0-lib"}
	want := "a-1.0.0-lib-opt3 a-1.0.0-lib-opt0 a-1.0.0-lib-features=x+y a-1.0.0-lib-1 a-1.0.0-lib-host a_1.0.0-lib a-1.0.0-lib"
	if got := strings.Join(Names(keys), " "); got != want {
		t.Errorf("names %q\nwant  %q", got, want)
	}
}
