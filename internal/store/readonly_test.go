package store

import (
	"errors"
	"testing"
)

func TestReadOnly(t *testing.T) {
	t.Setenv("NIX_REMOTE", "local?read-only=true")
	for _, c := range []struct {
		err  string
		want bool
	}{
		{"adding x to the store: executing SQLite statement 'insert into ValidPaths …': attempt to write a readonly database, attempt to write a readonly database (in '/nix/var/nix/db/db.sqlite')", true},
		{"checking store paths: nix-store …: exit status 1\nerror: opening lock file '/nix/var/nix/db/big-lock': Read-only file system", true},
		{"checking store paths: cannot connect to socket", false},
		// Read while another process wrote (seen in CI, with tests running beside it).
		{"checking store paths: executing SQLite query 'select id, hash from ValidPaths where path = …;': database disk image is malformed, database disk image is malformed (in '/nix/var/nix/db/db.sqlite')", true},
	} {
		in := errors.New(c.err)
		got := ReadOnly(in)
		var ro *ReadOnlyError
		if errors.As(got, &ro) != c.want || !errors.Is(got, in) {
			t.Errorf("ReadOnly(%q) = %v; want read-only %v, wrapping the original", c.err, got, c.want)
		}
		if c.want && got.Error() != "the Nix store is read-only (NIX_REMOTE=local?read-only=true), and cargo-nix-unit must add sources and derivations to it: build with a writable store (unset NIX_REMOTE, or use the Nix daemon)" {
			t.Errorf("message: %s", got)
		}
	}
	// A writable store's corrupt database is not a read-only store.
	t.Setenv("NIX_REMOTE", "")
	if err := ReadOnly(errors.New("database disk image is malformed")); errors.As(err, new(*ReadOnlyError)) {
		t.Errorf("a malformed database of a writable store was called read-only: %v", err)
	}
	if ReadOnly(nil) != nil {
		t.Error("ReadOnly(nil) != nil")
	}
}
