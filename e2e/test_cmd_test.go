package e2e

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// `cargo nix-unit test` builds the test executables through Nix and runs them
// in the package directory, as `cargo test` does (doctests aside); a failing
// test exits 101 with Cargo's hint.
func TestTestCommand(t *testing.T) {
	requireTools(t)
	ws := filepath.Join(t.TempDir(), "tested")
	if out, err := exec.Command("cp", "-r", filepath.Join(repoRoot(), "testdata", "workspaces", "tested"), ws).CombinedOutput(); err != nil {
		t.Fatalf("copying: %v\n%s", err, out)
	}
	r := cnu(t, ws, "test", "--no-link")
	if r.code != 0 {
		t.Fatalf("test: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"Running unittests src/lib.rs", "Running tests/it.rs"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if n := strings.Count(r.stdout, "test result: ok. 2 passed"); n != 2 {
		t.Errorf("%d test executables passed 2 tests, want 2:\n%s", n, r.stdout)
	}

	r = cnuEnv(t, ws, []string{"TESTED_FAIL=1"}, "test", "--no-link")
	if r.code != 101 || !strings.Contains(r.stderr, "test failed, to rerun pass `-p tested --lib`") {
		t.Errorf("failing test: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stderr, "Running tests/it.rs") {
		t.Errorf("ran the integration tests after the unit tests failed (fail fast):\n%s", r.stderr)
	}
	r = cnuEnv(t, ws, []string{"TESTED_FAIL=1"}, "test", "--no-link", "--no-fail-fast", "--", "--test-threads=1")
	if r.code != 101 || !strings.Contains(r.stderr, "Running tests/it.rs") {
		t.Errorf("--no-fail-fast: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}
