package testrun

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/derivation"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/report"
)

// TestShow: sandboxed runs are shown in order from their outputs or, failed,
// from their logs; the first failure stops unless NoFailFast.
func TestShow(t *testing.T) {
	passed := func(name string, status plan.Status) *plan.Node {
		out := filepath.Join(t.TempDir(), name)
		if err := os.MkdirAll(out, 0o755); err != nil {
			t.Fatal(err)
		}
		for f, text := range map[string]string{job.TestStdout(out): name + " ok\n", job.TestStderr(out): ""} {
			if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		test := &plan.Node{Name: name}
		return &plan.Node{Name: name + "@run", Out: out, Status: status, Drv: &derivation.Drv{Path: "/nix/store/x-" + name + ".drv"},
			Run: &plan.Run{What: "tests/" + name + ".rs", Rerun: "--test " + name, Test: test, Harness: true}}
	}
	failed := func(name string) (*plan.Node, []string) {
		n := passed(name, plan.StatusFailed)
		n.Out = ""
		return n, []string{name + " FAILED", "error: " + job.TestFailure("/nix/store/x-t/bin/"+name, "exit status: 101")}
	}
	a, b := passed("a", plan.StatusBuilt), passed("b", plan.StatusCached)
	f, flog := failed("f")
	g, glog := failed("g")
	logs := map[*plan.Node][]string{f: flog, g: glog}
	for _, tc := range []struct {
		name       string
		runs       []*plan.Node
		noFailFast bool
		stdout     string
		stderr     string
		err        string
	}{
		{"all pass", []*plan.Node{a, b}, false, "a ok\nb ok\n",
			"     Running tests/a.rs (exe/a)\n     Running tests/b.rs (exe/b) (cached)\n", ""},
		{"the first failure stops", []*plan.Node{a, f, g, b}, false, "a ok\nf FAILED\n",
			"     Running tests/a.rs (exe/a)\n     Running tests/f.rs (exe/f)\n", "test failed, to rerun pass `--test f`"},
		{"no fail fast", []*plan.Node{f, a, g}, true, "f FAILED\na ok\ng FAILED\n",
			"     Running tests/f.rs (exe/f)\nerror: test failed, to rerun pass `--test f`\n     Running tests/a.rs (exe/a)\n     Running tests/g.rs (exe/g)\nerror: test failed, to rerun pass `--test g`\n",
			"2 targets failed:\n    `--test f`\n    `--test g`"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			pr, err := report.NewPrinter(&stderr, report.ColorNever, report.ProgressPlain, false, false)
			if err != nil {
				t.Fatal(err)
			}
			o := Options{Stdout: &stdout, Printer: pr, NoFailFast: tc.noFailFast, Exe: func(n *plan.Node) string { return "exe/" + n.Name }}
			err = Show(context.Background(), tc.runs, logs, o)
			var be *report.BuildError
			if tc.err == "" && err != nil || tc.err != "" && (!errors.As(err, &be) || be.Msg != tc.err) {
				t.Errorf("error %v, want %q", err, tc.err)
			}
			if stdout.String() != tc.stdout || stderr.String() != tc.stderr {
				t.Errorf("printed\n%q\n%q\nwant\n%q\n%q", stdout.String(), stderr.String(), tc.stdout, tc.stderr)
			}
		})
	}
}
