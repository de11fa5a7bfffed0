package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// doctor explains each problem with its fix: an old Nix, a daemon without
// ca-derivations, and a host toolchain under the sandbox; it says which
// --toolchain mode is in force and whether derivations are host-independent.
func TestDoctor(t *testing.T) {
	requireTools(t)
	dir := t.TempDir()

	t.Run("this machine", func(t *testing.T) {
		r := cnu(t, dir, "doctor")
		if r.code != 0 {
			t.Fatalf("doctor fails here: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		for _, want := range []string{"ok    nix", "ok    ca-derivations", "ok    toolchain       store: ", "derivations are host-independent",
			"the linker and the system's libraries come from the host", "cargo-nix-unit passes them as extra-sandbox-paths"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("doctor output lacks %q:\n%s", want, r.stdout)
			}
		}
		// This machine's store trusts its user: the sandbox note needs no fix.
		// From issue 12: it printed one all the same.
		if strings.Contains(r.stdout, "ok    store           store local, trusted") && strings.Contains(r.stdout, "fix:") {
			t.Errorf("doctor prints a fix although nothing needs fixing:\n%s", r.stdout)
		}
	})

	// A user with only the binary has no scripts/ of this repository. From
	// issue 12: the fix for a missing or old Nix named scripts/install-nix.sh.
	t.Run("no nix", func(t *testing.T) {
		r := cnu(t, dir, "doctor", "--nix", filepath.Join(dir, "no-such-nix"))
		if r.code == 0 || !strings.Contains(r.stdout, "FAIL  nix") || !strings.Contains(r.stdout, "fix: install Nix 2.18 or newer") {
			t.Errorf("doctor without Nix: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		if strings.Contains(r.stdout, "scripts/") {
			t.Errorf("the fix names a script of this repository:\n%s", r.stdout)
		}
	})

	t.Run("host toolchain", func(t *testing.T) {
		r := cnu(t, dir, "doctor", "--toolchain=host")
		if r.code != 0 {
			t.Fatalf("doctor --toolchain=host: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		for _, want := range []string{"note  toolchain       host: ", "so they differ between machines and homes", "fix: build with --toolchain=store (the default)", "rustc lives outside the Nix store"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("doctor --toolchain=host output lacks %q:\n%s", want, r.stdout)
			}
		}
	})

	t.Run("old nix", func(t *testing.T) {
		fake := filepath.Join(dir, "nix")
		if err := os.WriteFile(fake, []byte("#!/bin/sh\necho 'nix (Nix) 2.8.0'\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		r := cnu(t, dir, "doctor", "--nix", fake)
		if r.code == 0 || !strings.Contains(r.stdout, "FAIL  nix") || !strings.Contains(r.stdout, "fix: upgrade Nix to 2.18 or newer") {
			t.Errorf("doctor with Nix 2.8: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		if strings.Contains(r.stdout, "scripts/") {
			t.Errorf("the fix names a script of this repository:\n%s", r.stdout)
		}
	})

	t.Run("daemon without ca-derivations", func(t *testing.T) {
		daemon, err := exec.LookPath("nix-daemon")
		if err != nil {
			t.Fatalf("nix-daemon: %v", err)
		}
		sock := filepath.Join(dir, "socket")
		cmd := exec.Command(daemon)
		cmd.Env = append(os.Environ(), "NIX_CONFIG=experimental-features = nix-command", "NIX_DAEMON_SOCKET_PATH="+sock)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { cmd.Process.Kill(); cmd.Wait() }()
		for i := 0; ; i++ {
			if _, err := os.Stat(sock); err == nil {
				break
			}
			if i == 200 {
				t.Fatal("nix-daemon did not create its socket")
			}
			time.Sleep(50 * time.Millisecond)
		}
		env := []string{"NIX_REMOTE=daemon", "NIX_DAEMON_SOCKET_PATH=" + sock}
		r := cnuEnv(t, dir, env, "doctor")
		if r.code == 0 || !strings.Contains(r.stdout, "FAIL  ca-derivations") || !strings.Contains(r.stdout, "experimental-features = nix-command ca-derivations") {
			t.Errorf("doctor against a daemon without ca-derivations: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
	})
}
