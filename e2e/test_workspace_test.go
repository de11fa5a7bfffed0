package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// `test` on examples/workspace reports the runs and counts of `cargo test`
// (unit tests reading their build script's OUT_DIR and rustc-env, an
// integration test running the binary, doctests of a library and of a
// proc-macro); a second run takes every result from the store; an edit of
// greeter reruns its tests and those of app that its change reaches, not
// those of greeter-macros; a failing test's hint names its package.
func TestTestWorkspace(t *testing.T) {
	requireTools(t)
	ws := copyWorkspace(t, "workspace")
	target := filepath.Join(t.TempDir(), "target")
	want := cargoTest(t, ws, target)
	if want.code != 0 {
		t.Fatalf("cargo test: exit %d\n%s", want.code, want.stderr)
	}
	r := mustCNU(t, ws, "test")
	sameTests(t, r, want)

	r = mustCNU(t, ws, "test")
	sameTests(t, r, want)
	if !strings.Contains(r.stderr, "6 test runs: 0 ran, 6 cached") {
		t.Errorf("second run made runs:\n%s", r.stderr)
	}
	for _, h := range headers(r.stderr) {
		if !strings.HasSuffix(h, " (cached)") {
			t.Errorf("second run: %q", h)
		}
	}

	// The edit changes greet's code, not what it returns: greeter's tests
	// rerun, and app's that run its binary, which calls greet; greeter-macros'
	// runs come from the store. (app's unit tests do not call greet: their
	// executable may come out bit-identical, and content-addressed, its run
	// then resolves to the earlier one: early cutoff.) A nonce makes the
	// edit new to the store, however often the test ran before.
	lib := filepath.Join(ws, "greeter", "src", "lib.rs")
	src, err := os.ReadFile(lib)
	if err != nil {
		t.Fatal(err)
	}
	nonce := fmt.Sprintf("nonce-%d", time.Now().UnixNano())
	edited := strings.Replace(string(src), `format!("Good day, {name}!")`,
		`if name == "`+nonce+`" { return String::new(); }
    format!("Good day, {name}!")`, 1)
	if edited == string(src) {
		t.Fatal("greeter's greet changed; update this test")
	}
	if err := os.WriteFile(lib, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	r = mustCNU(t, ws, "test")
	sameTests(t, r, want)
	ran, cached := map[string]bool{}, map[string]bool{}
	for _, h := range headers(r.stderr) {
		if c, ok := strings.CutSuffix(h, " (cached)"); ok {
			cached[c] = true
		} else {
			ran[h] = true
		}
	}
	for _, h := range []string{"Running tests/cli.rs (result/tests/app-1.0.0-test-cli)",
		"Running unittests src/lib.rs (result/tests/greeter-0.2.1-lib-test-greeter)", "Doc-tests greeter"} {
		if !ran[h] {
			t.Errorf("after an edit of greeter, %q did not run again:\n%s", h, r.stderr)
		}
	}
	for _, h := range []string{"Running unittests src/lib.rs (result/tests/greeter-macros-0.1.0-lib-test-greeter_macros)", "Doc-tests greeter_macros"} {
		if !cached[h] {
			t.Errorf("after an edit of greeter, %q ran again:\n%s", h, r.stderr)
		}
	}

	failing := strings.Replace(edited, "[1, 4, 9, 16, 25]);", "[1, 4, 9, 16, 26]);", 1)
	if failing == edited {
		t.Fatal("the fixture's squares test changed; update this test")
	}
	os.WriteFile(lib, []byte(failing), 0o644)
	r = cnu(t, ws, "test")
	wantFail := cargoTest(t, ws, target)
	if r.code != 101 || lastLine(r.stderr) != "error: test failed, to rerun pass `-p greeter --lib`" || lastLine(wantFail.stderr) != lastLine(r.stderr) {
		t.Errorf("failing test: exit %d, stderr ends %q (Cargo's: %q)\n%s", r.code, lastLine(r.stderr), lastLine(wantFail.stderr), r.stdout)
	}
	if !strings.Contains(r.stdout, "squares_come_from_out_dir ... FAILED") {
		t.Errorf("the failing run's output is missing:\n%s", r.stdout)
	}
}
