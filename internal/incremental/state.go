// Package incremental keeps the units' persistent incremental state in the
// target directory: it prepares the directories a build mounts, prunes the
// stale ones and removes them all. The builder uses them (internal/builder).
package incremental

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
)

// Layout of the state (the same under plan.IncrementalMount in a build):
// units/<key>/ per unit (rustc's directory, a mirror of the unit's
// dependency libraries, the builder's lock and stamp) and files/, the copies
// of dependency libraries the mirrors link to, each store file once.
const (
	unitsDir = "units"
	filesDir = "files"
)

// MaxAge is how long a unit's directory is kept after the last build that
// planned it. Cargo keeps its own until `cargo clean` (rustc keeps only the
// newest session in each); like Cargo's cache garbage collection, the tool
// tracks last use and removes what no build used for a while.
const MaxAge = 7 * 24 * time.Hour

// unlinkedGrace protects a copy in files/ that a running build just made
// and has not linked yet.
const unlinkedGrace = time.Hour

// StateDir is the tool's directory in Cargo's target directory; `clean`
// removes it.
func StateDir(targetDir string) string { return filepath.Join(targetDir, "nix-unit") }

// Root is where the incremental state lives.
func Root(targetDir string) string { return filepath.Join(StateDir(targetDir), "incremental") }

// Prepare creates the directory of each unit a build may compile
// incrementally (dirs are job.Job.Incremental values, under the mount),
// marks them used now, prunes what is stale, and returns the
// extra-sandbox-paths entry that mounts root into the builds.
func Prepare(root string, dirs []string, now time.Time) (string, error) {
	if strings.ContainsAny(root, " \t\n=") {
		return "", fmt.Errorf("the target directory %s has a space or '=' in its path, which Nix's extra-sandbox-paths cannot express", root)
	}
	for _, d := range dirs {
		rel, ok := strings.CutPrefix(d, plan.IncrementalMount+"/")
		if !ok || !strings.HasPrefix(rel, unitsDir+"/") || strings.Contains(rel, "..") {
			return "", fmt.Errorf("incremental directory %s is not under %s/%s", d, plan.IncrementalMount, unitsDir)
		}
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(p, 0o755); err != nil {
			return "", err
		}
		if err := os.Chtimes(p, now, now); err != nil {
			return "", err
		}
	}
	if err := Prune(root, now); err != nil {
		return "", err
	}
	return plan.IncrementalMount + "=" + root, nil
}

// Prune removes the unit directories no build planned for MaxAge, and the
// copies in files/ that no unit directory links to any more.
func Prune(root string, now time.Time) error {
	units, err := os.ReadDir(filepath.Join(root, unitsDir))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	for _, u := range units {
		fi, err := u.Info()
		if err == nil && now.Sub(fi.ModTime()) > MaxAge {
			if err := os.RemoveAll(filepath.Join(root, unitsDir, u.Name())); err != nil {
				return err
			}
		}
	}
	files, err := os.ReadDir(filepath.Join(root, filesDir))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	for _, f := range files {
		fi, err := f.Info()
		if err != nil || !fi.Mode().IsRegular() || now.Sub(fi.ModTime()) < unlinkedGrace {
			continue
		}
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Nlink == 1 {
			if err := os.Remove(filepath.Join(root, filesDir, f.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// Removed says what Clean removed.
type Removed struct {
	Files int
	Bytes int64
}

// Clean removes the tool's directory in the target directory: the
// incremental state and the record of the last build.
func Clean(targetDir string) (Removed, error) {
	var r Removed
	dir := StateDir(targetDir)
	seen := map[uint64]bool{} // mirrors hard-link the copies in files/
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			if seen[uint64(st.Ino)] {
				return nil
			}
			seen[uint64(st.Ino)] = true
		}
		r.Files++
		r.Bytes += fi.Size()
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return r, nil
	}
	if err != nil {
		return r, err
	}
	return r, os.RemoveAll(dir)
}
