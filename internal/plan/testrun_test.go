package plan

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The runs of a recorded `cargo test`: Cargo's order (by package, then lib,
// bins, tests by name, doctests last), its names for them and its rerun
// hints, with -p where Cargo needs it (several default members).
func TestRuns(t *testing.T) {
	for name, want := range map[string][]string{
		"tested": {
			"unittests src/lib.rs | --lib",
			"unittests src/main.rs | --bin tested",
			"tests/host.rs | --test host | on host",
			"tests/it.rs | --test it",
			"tested | --doc | doctest",
		},
		"workspace-test": {
			"unittests src/main.rs | -p app --bin app",
			"tests/cli.rs | -p app --test cli",
			"unittests src/lib.rs | -p greeter --lib",
			"unittests src/lib.rs | -p greeter-macros --lib",
			"greeter | -p greeter --doc | doctest",
			"greeter_macros | -p greeter-macros --doc | doctest",
		},
	} {
		p := planRecorded(t, name, nil)
		var got []string
		for _, n := range p.Runs {
			r := n.Run
			s := r.What + " | " + r.Rerun
			if r.OnHost {
				s += " | on host"
			}
			if r.Doctest {
				s += " | doctest"
			}
			got = append(got, s)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: runs\n  %s\nwant\n  %s", name, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		}
	}

	// --on-host takes every test executable to the host, not doctests; -p
	// makes every hint name the package; --no-run plans no runs.
	p := planRecorded(t, "tested", func(in *Input) { in.Test.OnHost, in.Test.Packages = true, true })
	for _, n := range p.Runs {
		if n.Run.OnHost == n.Run.Doctest || !strings.HasPrefix(n.Run.Rerun, "-p tested ") {
			t.Errorf("--on-host -p: %+v", n.Run)
		}
	}
	if p := planRecorded(t, "tested", func(in *Input) { in.Test.NoRun = true }); len(p.Runs) != 0 || len(p.Tests()) != 4 {
		t.Errorf("--no-run: %d runs, %d test executables", len(p.Runs), len(p.Tests()))
	}
	_, err := planErr(t, "tested", func(in *Input) { in.Native["tested"].OnHost = []string{"nope"} })
	if err == nil || !strings.Contains(err.Error(), `[package.metadata.nix-unit] (or nix-unit.toml) on-host: package tested has no target "nope"`) {
		t.Errorf("unknown on-host name: %v", err)
	}
}

func planRecorded(t *testing.T, name string, edit func(*Input)) *Plan {
	t.Helper()
	p, err := planErr(t, name, edit)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func planErr(t *testing.T, name string, edit func(*Input)) (*Plan, error) {
	t.Helper()
	dir := filepath.Join("testdata", name)
	var docs [3][]byte
	for k, f := range []string{"unit-graph.json", "metadata.json", "input.json"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		docs[k] = b
	}
	in, err := DecodeInput(docs[0], docs[1], docs[2])
	if err != nil {
		t.Fatal(err)
	}
	if in.Test == nil {
		t.Fatalf("%s is not a recording of cargo test", name)
	}
	if edit != nil {
		edit(in)
	}
	return New(in)
}
