package incremental

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
)

func TestPrepareMarksAndPrunes(t *testing.T) {
	target := t.TempDir()
	root := Root(target)
	now := time.Now()
	old := now.Add(-MaxAge - time.Hour)
	// A unit no build planned for longer than MaxAge, one used recently, and
	// copies in files/: one linked from a unit, one linked from nowhere (old
	// and new).
	for _, d := range []string{"units/stale-1", "units/recent-2/deps", "files"} {
		os.MkdirAll(filepath.Join(root, d), 0o755)
	}
	os.Chtimes(filepath.Join(root, "units/stale-1"), old, old)
	for _, f := range []string{"files/used", "files/orphan", "files/fresh-orphan"} {
		os.WriteFile(filepath.Join(root, f), []byte("x"), 0o644)
	}
	os.Link(filepath.Join(root, "files/used"), filepath.Join(root, "units/recent-2/deps/used"))
	for _, f := range []string{"files/used", "files/orphan"} {
		os.Chtimes(filepath.Join(root, f), old, old)
	}

	mount, err := Prepare(root, []string{plan.IncrementalMount + "/units/app-3"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if mount != plan.IncrementalMount+"="+root {
		t.Errorf("mount %q", mount)
	}
	for path, want := range map[string]bool{
		"units/app-3": true, "units/recent-2": true, "units/stale-1": false,
		"files/used": true, "files/orphan": false, "files/fresh-orphan": true,
	} {
		_, err := os.Stat(filepath.Join(root, path))
		if got := err == nil; got != want {
			t.Errorf("%s exists: %v, want %v", path, got, want)
		}
	}
	if fi, err := os.Stat(filepath.Join(root, "units/app-3")); err != nil || fi.ModTime().Before(now.Add(-time.Second)) {
		t.Errorf("the planned unit's directory is not marked used now: %v", err)
	}
}

func TestPrepareRefuses(t *testing.T) {
	for _, c := range []struct{ root, dir, want string }{
		{"/tmp/with space/x", plan.IncrementalMount + "/units/a-1", "space or '='"},
		{t.TempDir(), "/elsewhere/units/a-1", "is not under"},
		{t.TempDir(), plan.IncrementalMount + "/units/../../etc", "is not under"},
	} {
		if _, err := Prepare(c.root, []string{c.dir}, time.Now()); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Prepare(%q, %q) = %v, want an error with %q", c.root, c.dir, err, c.want)
		}
	}
}

func TestClean(t *testing.T) {
	target := t.TempDir()
	root := Root(target)
	os.MkdirAll(filepath.Join(root, "units/a-1/deps"), 0o755)
	os.MkdirAll(filepath.Join(root, "files"), 0o755)
	os.WriteFile(filepath.Join(root, "files/lib"), []byte("12345"), 0o644)
	os.Link(filepath.Join(root, "files/lib"), filepath.Join(root, "units/a-1/deps/lib"))
	os.WriteFile(filepath.Join(StateDir(target), "last-build.json"), []byte("{}"), 0o644)
	os.MkdirAll(filepath.Join(target, "debug"), 0o755) // Cargo's: not ours
	r, err := Clean(target)
	if err != nil {
		t.Fatal(err)
	}
	if r.Files != 2 || r.Bytes != 7 {
		t.Errorf("removed %d files, %d bytes; want 2 files (a hard link counts once), 7 bytes", r.Files, r.Bytes)
	}
	if _, err := os.Stat(StateDir(target)); !os.IsNotExist(err) {
		t.Errorf("%s still exists", StateDir(target))
	}
	if _, err := os.Stat(filepath.Join(target, "debug")); err != nil {
		t.Errorf("Cargo's directory went too: %v", err)
	}
	if r, err := Clean(target); err != nil || r.Files != 0 {
		t.Errorf("cleaning again: %+v, %v", r, err)
	}
}
