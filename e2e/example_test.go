package e2e

import (
	"path/filepath"
	"strings"
	"testing"
)

// The demo workspace built through Nix prints exactly what `cargo run` prints, in
// both derivation modes and both profiles.
func TestExampleMatchesCargoRun(t *testing.T) {
	requireTools(t)
	ws := copyWorkspace(t, "workspace")
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"ca-debug", []string{"--content-addressed=on"}},
		{"ia-debug", []string{"--content-addressed=off"}},
		{"ca-release", []string{"--content-addressed=on", "--release"}},
		{"ia-release", []string{"--content-addressed=off", "--release"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var cargoArgs []string
			if strings.Contains(tc.name, "release") {
				cargoArgs = append(cargoArgs, "--release")
			}
			want := cargoRun(t, ws, cargoArgs...)
			link := filepath.Join(t.TempDir(), "result")
			r := mustCNU(t, ws, append([]string{"build", "-o", link}, tc.args...)...)
			if !strings.Contains(r.stderr, "units:") {
				t.Errorf("no unit summary in:\n%s", r.stderr)
			}
			got := run(t, ws, nil, filepath.Join(link, "bin", "app"))
			if got.code != 0 {
				t.Fatalf("result/bin/app: exit %d\n%s", got.code, got.stderr)
			}
			if got.stdout != want {
				t.Errorf("nix-built app prints\n%s\ncargo run prints\n%s", got.stdout, want)
			}
		})
	}
}
