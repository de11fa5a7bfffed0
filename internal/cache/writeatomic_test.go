package cache

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testtool"
)

// A failed write or rename leaves neither a temporary file nor a torn target.
func TestWriteAtomicLeavesNothingOnError(t *testing.T) {
	t.Run("rename fails", func(t *testing.T) {
		dir := t.TempDir()
		target := filepath.Join(dir, "stamp")
		if err := os.Mkdir(target, 0o755); err != nil { // a file cannot replace it
			t.Fatal(err)
		}
		if err := WriteAtomic(target, []byte("x")); err == nil {
			t.Fatal("WriteAtomic over a directory succeeded")
		}
		assertOnly(t, dir, "stamp")
	})
	t.Run("disk full", func(t *testing.T) {
		dir := t.TempDir()
		// A 64 KiB tmpfs, filled: creating the temporary file works, writing fails.
		if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir).CombinedOutput(); err != nil {
			testtool.Unavailable(t, fmt.Sprintf("cannot mount a small tmpfs here (CI runs as root): %v %s", err, out))
		}
		t.Cleanup(func() { exec.Command("umount", dir).Run() })
		exec.Command("dd", "if=/dev/zero", "of="+filepath.Join(dir, "filler"), "bs=4k").Run()
		if err := os.WriteFile(filepath.Join(dir, "stamp"), []byte("old"), 0o644); err != nil && !strings.Contains(err.Error(), "no space") {
			t.Fatal(err)
		}
		if err := WriteAtomic(filepath.Join(dir, "stamp"), make([]byte, 1<<20)); err == nil {
			t.Fatal("WriteAtomic on a full disk succeeded")
		}
		assertOnly(t, dir, "filler", "stamp")
		if b, err := os.ReadFile(filepath.Join(dir, "stamp")); err == nil && len(b) > 3 {
			t.Errorf("the stamp was torn: %d bytes", len(b))
		}
	})
}

// assertOnly fails if dir holds a file other than names.
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		ok := false
		for _, n := range names {
			ok = ok || e.Name() == n
		}
		if !ok {
			t.Errorf("%s was left in %s", e.Name(), dir)
		}
	}
}
