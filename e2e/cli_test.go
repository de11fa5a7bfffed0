package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The bash completion script asks the program, so it offers the real commands
// and flags; zsh's and fish's scripts are printed.
func TestCompletions(t *testing.T) {
	dir := t.TempDir()
	script := cnu(t, dir, "completions", "bash").stdout
	complete := func(words ...string) string {
		t.Helper()
		sh := script + `
COMP_WORDS=(` + strings.Join(words, " ") + `)
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
_cargo_nix_unit
echo "${COMPREPLY[@]}"`
		cmd := exec.Command("bash", "-c", sh)
		cmd.Env = append(cmd.Environ(), "PATH="+bins+":/usr/bin:/bin")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("bash: %v\n%s", err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if got := complete("cargo-nix-unit", "gr"); got != "graph" {
		t.Errorf("completing gr: %q", got)
	}
	if got := complete("cargo-nix-unit", "build", "--rel"); got != "--release" {
		t.Errorf("completing build --rel: %q", got)
	}
	if got := complete("cargo-nix-unit", "build", "--content-"); got != "--content-addressed" {
		t.Errorf("completing build --content-: %q", got)
	}
	for _, shell := range []string{"zsh", "fish"} {
		if r := cnu(t, dir, "completions", shell); r.code != 0 || !strings.Contains(r.stdout, "cargo-nix-unit") {
			t.Errorf("completions %s: exit %d\n%s%s", shell, r.code, r.stdout, r.stderr)
		}
	}
	if r := cnu(t, dir, "completions", "tcsh"); r.code == 0 || !strings.Contains(r.stderr, "want bash, zsh or fish") {
		t.Errorf("completions tcsh: exit %d\n%s", r.code, r.stderr)
	}
}

// Cargo finds the tool on PATH and runs it as `cargo-nix-unit nix-unit ARGS`.
func TestCargoSubcommand(t *testing.T) {
	requireTools(t)
	ws := copyWorkspace(t, "workspace")
	path := bins + string(os.PathListSeparator) + os.Getenv("PATH")
	r := run(t, ws, []string{"PATH=" + path}, "cargo", "nix-unit", "--version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "cargo-nix-unit ") {
		t.Errorf("cargo nix-unit --version: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, ws, []string{"PATH=" + path}, "cargo", "nix-unit", "build", "--no-link", "--print-out-paths")
	if r.code != 0 {
		t.Fatalf("cargo nix-unit build: exit %d\n%s", r.code, r.stderr)
	}
	out := strings.TrimSpace(r.stdout)
	if got, want := run(t, ws, nil, filepath.Join(out, "bin", "app")).stdout, cargoRun(t, ws); got != want {
		t.Errorf("app built through `cargo nix-unit` prints\n%s\nwant\n%s", got, want)
	}
}
