package builder

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
)

// What the builder keeps in a unit's persistent incremental directory.
const (
	stateLock   = "nix-unit.lock"  // flock'ed while a build uses the directory
	stateStamp  = "nix-unit.state" // fingerprint of rustc's directory as the last build left it
	stateRustc  = "rustc"          // rustc's -C incremental= directory
	stateMirror = "deps"           // the mirror of the closure's libraries (mirror.go)
	stateIndex  = "deps.index"     // what the mirror holds, checked by mirror itself
)

// incrementalDir is the directory a compile gives rustc as -C incremental=.
type incrementalDir struct {
	path string
	// lock is held on a persistent directory (nil for a scratch one) until close.
	lock *os.File
	// note says why a persistent directory was not used, or was reset.
	note string
}

// openIncremental picks the directory for a job whose -C incremental= names
// want. The persistent one is used only when the build sees it as a directory
// owned by its own user (so a multi-user daemon's build users never write into
// a user's tree), it can take the directory's lock without waiting (so two
// builds of one unit never share it: the second compiles in scratch space),
// and the directory is exactly as a builder left it (else its content is
// removed: a foreign, damaged or half-written state means a clean compile).
// Otherwise rustc gets an empty directory in the scratch space: it compiles
// everything, in the same incremental mode, so the output is the same.
func openIncremental(want, scratch string) *incrementalDir {
	d, err := openPersistent(want)
	if err == nil {
		return d
	}
	path := filepath.Join(scratch, "incremental")
	d = &incrementalDir{path: path}
	if !errors.Is(err, errNoState) {
		d.note = fmt.Sprintf("not using the incremental state in %s (%v); compiling from scratch", want, err)
	}
	if err := os.MkdirAll(path, 0o755); err != nil {
		d.note = fmt.Sprintf("creating %s: %v", path, err)
	}
	return d
}

// errNoState: the build does not see the directory (no mount, as on CI).
var errNoState = errors.New("no incremental state")

func openPersistent(dir string) (*incrementalDir, error) {
	fi, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errNoState
	}
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, errors.New("not a directory")
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Getuid() {
		return nil, fmt.Errorf("owned by uid %d, the build runs as uid %d", st.Uid, os.Getuid())
	}
	lock, err := os.OpenFile(filepath.Join(dir, stateLock), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lock.Close()
		return nil, fmt.Errorf("another build of this unit is using it")
	}
	d := &incrementalDir{path: dir, lock: lock}
	want, _ := os.ReadFile(filepath.Join(dir, stateStamp))
	got, err := fingerprint(dir)
	// The stamp goes while rustc runs: a build that dies leaves none, and the
	// next one starts afresh.
	if err := os.Remove(filepath.Join(dir, stateStamp)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		d.release()
		return nil, err
	}
	if err != nil || (got != strings.TrimSpace(string(want)) && (len(want) > 0 || got != emptyFingerprint)) {
		if err := d.reset(); err != nil {
			d.release()
			return nil, err
		}
		d.note = "the incremental state in " + dir + " is not as the last build left it; removed it, compiling from scratch"
	}
	return d, nil
}

// release unlocks a persistent directory without a stamp: the next build
// that uses it starts it afresh.
func (d *incrementalDir) release() {
	if d.lock != nil {
		d.lock.Close()
		d.lock = nil
	}
}

// abandon releases the persistent directory and makes d an empty scratch
// directory.
func (d *incrementalDir) abandon(scratch string) {
	d.release()
	d.path = filepath.Join(scratch, "incremental")
	os.RemoveAll(d.path)
	os.MkdirAll(d.path, 0o755)
}

// rustcDir is the directory rustc gets as -C incremental=.
func (d *incrementalDir) rustcDir() string {
	if d.persistent() {
		return filepath.Join(d.path, stateRustc)
	}
	return d.path
}

// persistent reports whether d outlives the build.
func (d *incrementalDir) persistent() bool { return d.lock != nil }

// reset empties a persistent directory, keeping the lock.
func (d *incrementalDir) reset() error {
	entries, err := os.ReadDir(d.path)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() == stateLock {
			continue
		}
		if err := os.RemoveAll(filepath.Join(d.path, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// close records the directory's fingerprint for the next build and unlocks it.
func (d *incrementalDir) close() error {
	if d.lock == nil {
		return nil
	}
	defer d.release()
	fp, err := fingerprint(d.path)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(d.path, stateStamp), []byte(fp+"\n"), 0o644)
}

// fingerprint hashes the names, types, sizes, modification times and inodes of
// everything in dir but the builder's lock, stamp and mirror: any write,
// replacement, copy or removal of rustc's files changes it.
func fingerprint(dir string) (string, error) {
	var lines []string
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch rel {
		case ".", stateLock, stateStamp, stateIndex:
			return nil
		case stateMirror:
			return filepath.SkipDir
		}
		fi, err := e.Info()
		if err != nil {
			return err
		}
		var ino uint64
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			ino = uint64(st.Ino)
		}
		lines = append(lines, fmt.Sprintf("%q %v %d %d %d", rel, fi.Mode().Type(), fi.Size(), fi.ModTime().UnixNano(), ino))
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(lines)
	h := sha256.New()
	for _, l := range lines {
		fmt.Fprintln(h, l)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// emptyFingerprint is the fingerprint of a directory holding nothing but the
// builder's files: a new directory needs no stamp.
var emptyFingerprint = func() string { return hex.EncodeToString(sha256.New().Sum(nil)) }()

// replaceIncremental returns args with -C incremental=from changed to to.
func replaceIncremental(args []string, from, to string) []string {
	out := append([]string{}, args...)
	for k := 1; k < len(out); k++ {
		if out[k-1] == "-C" && out[k] == "incremental="+from {
			out[k] = "incremental=" + to
		}
	}
	return out
}

// incrementalFailure reports a rustc failure that may come from its
// incremental state rather than from the sources: an internal compiler error
// (exit status 101) or an error about the incremental directory.
func incrementalFailure(code int, d *diagnostics) bool {
	return code == 101 || d.incrementalError
}
