package cache

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// WriteAtomic writes b to path through a temporary file and a rename, so a
// reader sees the old content or the new, never part of it. A directory that
// cannot be made is named as mkdir names it; other errors read
// "writing <path>: <cause>", naming the file meant, not a temporary one.
func WriteAtomic(path string, b []byte) error {
	fail := func(err error) error {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err // names the directory in the way
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return fail(err)
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fail(err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fail(err)
	}
	return nil
}
