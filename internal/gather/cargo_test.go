package gather

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testtool"
)

// A Cargo that rejects the command passes on its message and exit status.
func TestAskKeepsCargosStatus(t *testing.T) {
	testtool.Require(t, "sh")
	dir := t.TempDir()
	cargo := dir + "/cargo"
	writeScript(t, cargo, "#!/bin/sh\necho 'error: no bin target named `nope`' >&2\nexit 101\n")
	_, _, err := Ask(context.Background(), Query{Cargo: cargo, BuildArgs: []string{"--bin", "nope"}})
	var ce *CargoError
	if !errors.As(err, &ce) || ce.Status != 101 {
		t.Fatalf("Ask: %v, want a CargoError with status 101", err)
	}
	if want := "cargo could not produce the unit graph:\nerror: no bin target named `nope`"; err.Error() != want {
		t.Errorf("message %q, want %q", err.Error(), want)
	}
}

func writeScript(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
}
