package report

import (
	"strings"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
)

// Failures read as Cargo's (cargo: ops/cargo_test.rs, report_test_error and
// no_fail_fast_err, checked against cargo test 1.95).
func TestTestFailures(t *testing.T) {
	lib := &plan.Run{Rerun: "-p greeter --lib", Harness: true}
	doc := &plan.Run{Rerun: "--doc", Doctest: true, Harness: true}
	for _, c := range []struct {
		name string
		run  *plan.Run
		f    RunFailure
		args []string
		msg  string
		code int
	}{
		{"libtest's failure", lib, RunFailure{"/t", "exit status: 101", 101}, nil,
			"test failed, to rerun pass `-p greeter --lib`", 101},
		{"doctest", doc, RunFailure{"rustdoc", "exit status: 101", 101}, nil,
			"doctest failed, to rerun pass `--doc`", 101},
		{"another status", lib, RunFailure{"/t", "exit status: 3", 3}, nil,
			"test failed, to rerun pass `-p greeter --lib`\n\nCaused by:\n  process didn't exit successfully: `/t` (exit status: 3)\n" +
				"note: test exited abnormally; to see the full output pass --no-capture to the harness.", 3},
		{"another status, --nocapture", lib, RunFailure{"/t", "exit status: 3", 3}, []string{"--nocapture"},
			"test failed, to rerun pass `-p greeter --lib`\n\nCaused by:\n  process didn't exit successfully: `/t` (exit status: 3)", 3},
		{"a signal", lib, RunFailure{"/t", "signal: 11", -1}, nil,
			"test failed, to rerun pass `-p greeter --lib`\n\nCaused by:\n  process didn't exit successfully: `/t` (signal: 11)", 101},
	} {
		e := TestFailed(c.run, c.f, c.args)
		if e.Msg != c.msg || e.Code != c.code {
			t.Errorf("%s: %q (exit %d), want %q (exit %d)", c.name, e.Msg, e.Code, c.msg, c.code)
		}
	}
	if got, want := TestsFailed([]*plan.Run{lib, doc}).Msg, "2 targets failed:\n    `-p greeter --lib`\n    `--doc`"; got != want {
		t.Errorf("--no-fail-fast: %q, want %q", got, want)
	}
	if got := TestsFailed([]*plan.Run{doc}).Msg; !strings.HasPrefix(got, "1 target failed:") {
		t.Errorf("one failure: %q", got)
	}
}

// A failed run's log is the harness's output, then the builder's last line.
func TestFailedOutput(t *testing.T) {
	log := []string{"running 1 test", "test t ... FAILED", "", "error: t v1 (test t): " + job.TestFailure("/nix/store/x-t/bin/t", "exit status: 101"), ""}
	out, f, ok := FailedOutput(log)
	if !ok || len(out) != 3 || f.Code != 101 || f.Program != "/nix/store/x-t/bin/t" {
		t.Errorf("%q %+v %v", out, f, ok)
	}
	if _, _, ok := FailedOutput([]string{"error: reading build script output: no such file"}); ok {
		t.Error("a builder error read as a test failure")
	}
}
