package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// `cargo nix-unit test` on the tested fixture: every test run (unit tests,
// integration tests, doctests) reports what `cargo test` reports; each is a
// derivation, so a second run takes every result from the store; a failing
// test exits 101 with its output and Cargo's hints, and is retried next time;
// --no-run, --no-fail-fast, --doc, --on-host, the fixture's on-host test and
// the arguments after -- work as with Cargo.
func TestTestCommand(t *testing.T) {
	requireTools(t)
	ws := filepath.Join(t.TempDir(), "tested")
	if out, err := exec.Command("cp", "-r", filepath.Join(repoRoot(), "testdata", "workspaces", "tested"), ws).CombinedOutput(); err != nil {
		t.Fatalf("copying: %v\n%s", err, out)
	}
	target := filepath.Join(t.TempDir(), "target")

	want := cargoTest(t, ws, target)
	if want.code != 0 {
		t.Fatalf("cargo test: exit %d\n%s\n%s", want.code, want.stdout, want.stderr)
	}
	r := cnu(t, ws, "test")
	if r.code != 0 {
		t.Fatalf("test: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	sameTests(t, r, want)
	if !strings.Contains(r.stderr, "5 test runs: ") || !strings.Contains(r.stderr, ", 1 on the host") {
		t.Errorf("the runs are not counted:\n%s", r.stderr)
	}
	hostFile := filepath.Join(ws, "target", "host-test-ran")
	if _, err := os.Stat(hostFile); err != nil {
		t.Errorf("the on-host test did not run in the package's directory: %v", err)
	}
	os.Remove(hostFile)

	// No edit: every sandboxed run comes from the store; the host's runs again.
	r = cnu(t, ws, "test")
	if r.code != 0 {
		t.Fatalf("second test: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	sameTests(t, r, want)
	for _, line := range headers(r.stderr) {
		if cached := strings.HasSuffix(line, " (cached)"); cached == strings.Contains(line, "tests/host.rs") {
			t.Errorf("second run: %q", line)
		}
	}
	if !strings.Contains(r.stderr, "5 test runs: 0 ran, 4 cached, 1 on the host") {
		t.Errorf("second run made runs again:\n%s", r.stderr)
	}
	if _, err := os.Stat(hostFile); err != nil {
		t.Errorf("the on-host test did not run again: %v", err)
	}

	// Inside the sandbox, the package's source in the store is the working directory.
	r = mustCNU(t, ws, "test", "--lib", "--", "--nocapture", "prints_where_it_runs")
	if !regexp.MustCompile(`running in /nix/store/[a-z0-9]{32}-tested-0\.1\.0-source\n`).MatchString(r.stdout) {
		t.Errorf("--nocapture: the test's output does not show the store source as its directory:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "1 passed; 0 failed; 0 ignored; 0 measured; 2 filtered out") {
		t.Errorf("the filter did not reach the harness:\n%s", r.stdout)
	}

	// A failing unit test: Cargo's exit status, output and hint; fail fast.
	failing := cargoTest(t, ws, target, "--features", "fail")
	r = cnu(t, ws, "test", "--features", "fail")
	if r.code != 101 || failing.code != 101 {
		t.Fatalf("failing test: exit %d (cargo: %d)\n%s\n%s", r.code, failing.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"test tests::fails_on_demand ... FAILED", "the fail feature is on", "test result: FAILED. 2 passed; 1 failed"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the failing run's output lacks %q:\n%s", want, r.stdout)
		}
	}
	if got, want := lastLine(r.stderr), lastLine(failing.stderr); got != want || want != "error: test failed, to rerun pass `--lib`" {
		t.Errorf("failing test: stderr ends with %q, Cargo's with %q", got, want)
	}
	if strings.Contains(r.stderr, "Running tests/it.rs") {
		t.Errorf("showed the integration tests after the unit tests failed (fail fast):\n%s", r.stderr)
	}

	// A failure is no result: running again retries it. --no-fail-fast runs
	// and reports everything, the failing doctest too, as Cargo does.
	failing = cargoTest(t, ws, target, "--features", "fail", "--no-fail-fast")
	r = cnu(t, ws, "test", "--features", "fail", "--no-fail-fast")
	if r.code != 101 {
		t.Fatalf("--no-fail-fast: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	sameTests(t, r, failing)
	if !strings.Contains(r.stderr, "Running unittests src/lib.rs (result/tests/tested-0.1.0-lib-test-tested)\n") {
		t.Errorf("the failed run came from the store:\n%s", r.stderr)
	}
	for _, want := range []string{"error: test failed, to rerun pass `--lib`", "error: doctest failed, to rerun pass `--doc`",
		"error: 2 targets failed:\n    `--lib`\n    `--doc`\n"} {
		if !strings.Contains(r.stderr, want) || !strings.Contains(failing.stderr, want) {
			t.Errorf("--no-fail-fast: stderr lacks Cargo's %q:\n%s", want, r.stderr)
		}
	}

	// --no-run builds and names the executables; --doc runs only doctests.
	r = mustCNU(t, ws, "test", "--no-run")
	if !strings.Contains(r.stderr, "Executable unittests src/lib.rs (result/tests/tested-0.1.0-lib-test-tested)") || strings.Contains(r.stdout, "running") {
		t.Errorf("--no-run:\n%s\n%s", r.stdout, r.stderr)
	}
	r = mustCNU(t, ws, "test", "--doc")
	if h := headers(r.stderr); len(h) != 1 || h[0] != "Doc-tests tested (cached)" {
		t.Errorf("--doc ran %q", h)
	}

	// --on-host runs every test executable here, as before runs were derivations.
	r = mustCNU(t, ws, "test", "--on-host")
	sameTests(t, r, want)
	if !strings.Contains(r.stderr, "5 test runs: 0 ran, 1 cached, 4 on the host") {
		t.Errorf("--on-host:\n%s", r.stderr)
	}

	// Input-addressed derivations: the same runs, cached the second time.
	r = mustCNU(t, ws, "test", "--content-addressed=off")
	sameTests(t, r, want)
	r = mustCNU(t, ws, "test", "--content-addressed=off")
	if !strings.Contains(r.stderr, "5 test runs: 0 ran, 4 cached, 1 on the host") {
		t.Errorf("input-addressed, second run:\n%s", r.stderr)
	}
}

// An on-host name that is no target of its package is refused, naming the setting.
func TestTestOnHostUnknownTarget(t *testing.T) {
	requireTools(t)
	ws := filepath.Join(t.TempDir(), "tested")
	if out, err := exec.Command("cp", "-r", filepath.Join(repoRoot(), "testdata", "workspaces", "tested"), ws).CombinedOutput(); err != nil {
		t.Fatalf("copying: %v\n%s", err, out)
	}
	manifest := filepath.Join(ws, "Cargo.toml")
	b, _ := os.ReadFile(manifest)
	os.WriteFile(manifest, []byte(strings.Replace(string(b), `on-host = ["host"]`, `on-host = ["hots"]`, 1)), 0o644)
	r := cnu(t, ws, "test", "--no-link")
	if r.code == 0 || !strings.Contains(r.stderr, "on-host: package tested has no target \"hots\"") {
		t.Errorf("exit %d\n%s", r.code, r.stderr)
	}
}

// cargoTest runs `cargo test` in ws with its own target directory.
func cargoTest(t *testing.T, ws, target string, args ...string) result {
	t.Helper()
	return run(t, ws, []string{"CARGO_TARGET_DIR=" + target}, "cargo", append([]string{"test"}, args...)...)
}

var resultTime = regexp.MustCompile(`; finished in [0-9.]+s$`)

// sameTests checks that got reports the runs want (cargo test) reports, in
// the same order, with the same counts.
func sameTests(t *testing.T, got, want result) {
	t.Helper()
	g, w := summary(got), summary(want)
	if !slices.Equal(g, w) {
		t.Errorf("test runs:\n  %s\nCargo's:\n  %s\nstderr:\n%s", strings.Join(g, "\n  "), strings.Join(w, "\n  "), got.stderr)
	}
}

// summary lists each run's header, without the executable's path or
// "(cached)", then each result line without its time.
func summary(r result) []string {
	var out []string
	for _, h := range headers(r.stderr) {
		h = strings.TrimSuffix(h, " (cached)")
		if i := strings.Index(h, " ("); i >= 0 && strings.HasPrefix(h, "Running") {
			h = h[:i]
		}
		out = append(out, h)
	}
	for _, l := range strings.Split(r.stdout, "\n") {
		if strings.HasPrefix(l, "test result: ") {
			out = append(out, resultTime.ReplaceAllString(l, ""))
		}
	}
	return out
}

// headers are the Running and Doc-tests lines of a test command's stderr.
func headers(stderr string) []string {
	var out []string
	for _, l := range strings.Split(stderr, "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "Running ") && !strings.HasPrefix(l, "Running `") || strings.HasPrefix(l, "Doc-tests ") {
			out = append(out, l)
		}
	}
	return out
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}
