package store

import (
	"os"
	"strings"
)

// ReadOnlyError: the store refused a write because it is read-only (Nix's
// `local?read-only=true`, or a store on a read-only file system).
type ReadOnlyError struct {
	Remote string // NIX_REMOTE, which chose the store; may be empty
	Err    error  // Nix's own error: SQLite's or the file system's wording
}

func (e *ReadOnlyError) Error() string {
	where := ""
	if e.Remote != "" {
		where = " (NIX_REMOTE=" + e.Remote + ")"
	}
	return "the Nix store is read-only" + where + ", and cargo-nix-unit must add sources and derivations to it: build with a writable store (unset NIX_REMOTE, or use the Nix daemon)"
}

func (e *ReadOnlyError) Unwrap() error { return e.Err }

// readOnlyMarks are how Nix 2.26 words a refused write: SQLite on a read-only
// database, and EROFS from a read-only mount.
var readOnlyMarks = []string{"attempt to write a readonly database", "Read-only file system"}

// ReadOnly turns an error caused by a read-only store into a *ReadOnlyError and
// returns any other error as it is.
func ReadOnly(err error) error {
	if err == nil {
		return nil
	}
	for _, m := range readOnlyMarks {
		if strings.Contains(err.Error(), m) {
			return &ReadOnlyError{Remote: os.Getenv("NIX_REMOTE"), Err: err}
		}
	}
	return err
}
