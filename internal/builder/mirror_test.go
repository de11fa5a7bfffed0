package builder

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// The mirror holds each library once placed, replaces what was written to or
// removed, follows a rebuilt source, and drops what the closure lost.
func TestMirror(t *testing.T) {
	store, state := t.TempDir(), t.TempDir()
	dir, index, pool := filepath.Join(state, "units/u/deps"), filepath.Join(state, "units/u/deps.index"), filepath.Join(state, "files")
	src := func(out, name, content string) string {
		p := filepath.Join(store, out, "lib", name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(content), 0o444)
		old := time.Unix(1, 0) // as in the store
		os.Chtimes(p, old, old)
		return p
	}
	files := map[string]string{"liba.rlib": src("a-out", "liba.rlib", "a1"), "libb.rlib": src("b-out", "libb.rlib", "b1")}
	check := func(step string, want map[string]string) {
		t.Helper()
		if err := mirror(dir, index, pool, files); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != len(want) {
			t.Errorf("%s: %d entries, want %d", step, len(entries), len(want))
		}
		for name, content := range want {
			if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(b) != content {
				t.Errorf("%s: %s holds %q (%v), want %q", step, name, b, err, content)
			}
		}
	}
	inode := func(name string) uint64 {
		fi, err := os.Lstat(filepath.Join(dir, name))
		if err != nil {
			return 0
		}
		return fi.Sys().(*syscall.Stat_t).Ino
	}
	check("first", map[string]string{"liba.rlib": "a1", "libb.rlib": "b1"})
	a := inode("liba.rlib")
	check("unchanged", map[string]string{"liba.rlib": "a1", "libb.rlib": "b1"})
	if inode("liba.rlib") != a {
		t.Error("an unchanged library was placed again")
	}

	os.WriteFile(filepath.Join(dir, "liba.rlib"), []byte("garbage"), 0o644) // the pool's copy too: a hard link
	os.Remove(filepath.Join(dir, "libb.rlib"))
	check("damaged", map[string]string{"liba.rlib": "a1", "libb.rlib": "b1"})

	files["libb.rlib"] = src("b-out2", "libb.rlib", "b2") // rebuilt: another store path
	delete(files, "liba.rlib")
	os.WriteFile(filepath.Join(dir, "stray"), nil, 0o644)
	check("rebuilt", map[string]string{"libb.rlib": "b2"})
}
