package e2e

import (
	"os/exec"
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
