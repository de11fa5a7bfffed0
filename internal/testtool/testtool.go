// Package testtool holds the one rule every test that needs a real program
// (or root, or a long time) follows: without it the test is skipped on a
// developer's machine, and fails in CI (CI=true), where every integration test
// must run. No test skips in any other way.
package testtool

import (
	"os"
	"os/exec"
	"testing"
)

// InCI reports whether the tests run in CI, where nothing may be skipped.
func InCI() bool { return os.Getenv("CI") == "true" }

// Unavailable skips the test, or fails it in CI, saying why it cannot run.
func Unavailable(t testing.TB, why string) {
	t.Helper()
	if InCI() {
		t.Fatalf("%s: CI must run this test (scripts/setup.sh installs what it needs)", why)
	}
	t.Skip(why)
}

// Require returns the path of each program on PATH; a missing one makes the
// test Unavailable.
func Require(t testing.TB, programs ...string) []string {
	t.Helper()
	paths := make([]string, len(programs))
	for k, p := range programs {
		path, err := exec.LookPath(p)
		if err != nil {
			Unavailable(t, p+" is not on PATH")
		}
		paths[k] = path
	}
	return paths
}

// Long skips a long test under `go test -short` on a developer's machine; in
// CI, where nothing may be skipped, -short fails it instead.
func Long(t testing.TB, why string) {
	t.Helper()
	if testing.Short() {
		Unavailable(t, why+" (skipped under -short)")
	}
}
