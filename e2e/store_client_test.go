package e2e

import (
	"strings"
	"testing"
)

// The daemon client and `nix derivation add` register the same derivations.
func TestStoreClientsAgree(t *testing.T) {
	requireTools(t)
	ws := copyWorkspace(t, "workspace")
	daemon := mustCNU(t, ws, "build", "--dry-run", "--store-client=daemon")
	cli := mustCNU(t, ws, "build", "--dry-run", "--store-client=cli")
	if daemon.stdout != cli.stdout {
		t.Errorf("derivation paths differ\ndaemon:\n%s\ncli:\n%s", daemon.stdout, cli.stdout)
	}
	if n := strings.Count(daemon.stdout, ".drv\n"); n < 2 {
		t.Errorf("dry run printed %d derivations:\n%s", n, daemon.stdout)
	}
	if strings.Contains(daemon.stderr, "cannot use the Nix daemon protocol") {
		t.Errorf("--store-client=daemon fell back to the CLI:\n%s", daemon.stderr)
	}
}
