package report

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
)

// Test runs are shown as `cargo test` shows them (cargo: ops/cargo_test.rs):
// a Running (or Doc-tests) line, then what the harness printed; a run whose
// output comes from an earlier run says so with "(cached)".

// RunHeader prints the line before a run's output: `Running unittests
// src/lib.rs (result/tests/tested-0.1.0-lib-test)` or `Doc-tests greeter`.
// exe is where the user finds the test executable.
func RunHeader(pr *Printer, n *plan.Node, exe string, cached bool) {
	word, text := "Running", fmt.Sprintf("%s (%s)", n.Run.What, exe)
	if n.Run.Doctest {
		word, text = "Doc-tests", n.Run.What
	}
	if cached {
		text += " (cached)"
	}
	pr.Status(word, text)
}

// Executable prints what --no-run prints for a test executable.
func Executable(pr *Printer, what, exe string) {
	pr.Status("Executable", fmt.Sprintf("%s (%s)", what, exe))
}

// Replay writes what a passing run printed, each stream to its writer, from
// its output out.
func Replay(stdout, stderr io.Writer, out string) error {
	for _, f := range []struct {
		path string
		w    io.Writer
	}{{job.TestStdout(out), stdout}, {job.TestStderr(out), stderr}} {
		b, err := os.ReadFile(f.path)
		if err != nil {
			return fmt.Errorf("reading the test run's output: %w", err)
		}
		if _, err := f.w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// RunFailure is how a test run failed: its program, Cargo's words for its
// exit ("exit status: 101") and the exit code (-1 after a signal).
type RunFailure struct {
	Program, Status string
	Code            int
}

// FailedOutput splits a failed run's log into what the harness printed and
// how it ended (the builder's last line); ok is false when the builder failed
// before or apart from the run (the log then says why).
func FailedOutput(log []string) (output []string, f RunFailure, ok bool) {
	for k := len(log) - 1; k >= 0; k-- {
		if strings.TrimSpace(log[k]) == "" {
			continue
		}
		if f.Program, f.Status, f.Code, ok = job.ParseTestFailure(log[k]); ok {
			return log[:k], f, true
		}
		break
	}
	return log, RunFailure{}, false
}

// TestFailed is the error of one failed run as Cargo reports it (cargo:
// ops/cargo_test.rs, report_test_error): the rerun hint, with the process's
// status unless the harness ended as libtest does on failing tests (101).
// Without --no-fail-fast the command exits with the run's own code.
func TestFailed(r *plan.Run, f RunFailure, args []string) *BuildError {
	which := "test failed"
	if r.Doctest {
		which = "doctest failed"
	}
	msg := fmt.Sprintf("%s, to rerun pass `%s`", which, r.Rerun)
	if f.Code != 101 {
		msg += fmt.Sprintf("\n\nCaused by:\n  %s", job.TestFailure(f.Program, f.Status))
		nocapture := slices.Contains(args, "--nocapture") || slices.Contains(args, "--no-capture")
		if f.Code >= 0 && r.Harness && !nocapture {
			msg += "\nnote: test exited abnormally; to see the full output pass --no-capture to the harness."
		}
	}
	code := f.Code
	if code <= 0 {
		code = 101
	}
	return &BuildError{Msg: msg, Code: code}
}

// TestsFailed is the closing error of --no-fail-fast: every failed run's hint.
func TestsFailed(failed []*plan.Run) *BuildError {
	var b strings.Builder
	if len(failed) == 1 {
		b.WriteString("1 target failed:")
	} else {
		fmt.Fprintf(&b, "%d targets failed:", len(failed))
	}
	for _, r := range failed {
		fmt.Fprintf(&b, "\n    `%s`", r.Rerun)
	}
	return &BuildError{Msg: b.String()}
}

// RunsSummary says how many runs ran and how many results came from earlier
// runs: "6 test runs: 1 ran, 5 cached" (runs on the host always run).
func RunsSummary(pr *Printer, runs []*plan.Node) {
	if pr.Quiet || len(runs) == 0 {
		return
	}
	ran, cached, host := 0, 0, 0
	for _, n := range runs {
		switch {
		case n.Run.OnHost:
			host++
		case n.Status == plan.StatusBuilt || n.Status == plan.StatusFailed:
			ran++
		default:
			cached++
		}
	}
	line := fmt.Sprintf("%d test %s: %d ran, %d cached", len(runs), Plural(len(runs), "run"), ran, cached)
	if host > 0 {
		line += fmt.Sprintf(", %d on the host", host)
	}
	pr.Line(line)
}
