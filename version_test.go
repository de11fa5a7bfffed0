package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// nixInfo against fake nix and nix-store programs: what --version says in each
// situation, without touching a store.
func TestNixInfo(t *testing.T) {
	for _, tc := range []struct {
		name     string
		version  string // nix --version
		features string // nix config show experimental-features
		valid    bool   // whether the CA probe derivation is registered
		want     string
	}{
		{"probed before", "nix (Nix) 2.26.3", "nix-command", true, "nix 2.26.3, content-addressed: on"},
		{"enabled in nix.conf", "nix (Nix) 2.26.3", "ca-derivations nix-command", false, "nix 2.26.3, content-addressed: on"},
		{"not enabled", "nix (Nix) 2.26.3", "nix-command", false, "nix 2.26.3, content-addressed: off"},
		{"lix", "nix (Lix, like Nix) 2.91.1", "nix-command", false, "Lix 2.91.1, content-addressed: off"},
		{"too old", "nix (Nix) 2.8.0", "", false, "nix 2.8.0: too old, needs 2.18 or newer"},
		{"unreadable", "something else", "", false, `nix: cannot read a Nix version from "something else"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			nix := filepath.Join(dir, "nix")
			script(t, nix, `case "$*" in
*--version*) echo '`+tc.version+`' ;;
*"config show experimental-features"*) echo '`+tc.features+`' ;;
*) echo "unexpected: $*" >&2; exit 1 ;;
esac`)
			invalid := `shift 2; for p; do echo "$p"; done`
			if tc.valid {
				invalid = "true"
			}
			script(t, nix+"-store", invalid)
			if got := nixInfo(context.Background(), nix, "x86_64-linux"); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
	t.Run("missing", func(t *testing.T) {
		if got := nixInfo(context.Background(), filepath.Join(t.TempDir(), "nix"), "x86_64-linux"); got != "nix: not found" {
			t.Errorf("got %q", got)
		}
	})
}

func script(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
}
