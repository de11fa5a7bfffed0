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
	remote := os.Getenv("NIX_REMOTE")
	marks := readOnlyMarks
	if strings.Contains(remote, "read-only=true") {
		marks = append(marks[:len(marks):len(marks)], immutableMark)
	}
	for _, m := range marks {
		if strings.Contains(err.Error(), m) {
			return &ReadOnlyError{Remote: remote, Err: err}
		}
	}
	return err
}

// immutableMark is how a read from a `read-only=true` store can fail before
// any write: Nix opens its database immutable there, so SQLite reads pages a
// concurrent writer (another Nix process) is changing and calls the file
// corrupt. The build could not have gone on anyway: it must write.
const immutableMark = "database disk image is malformed"
