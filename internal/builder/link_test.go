package builder

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
)

// A link with Entries is a real directory (a process working there does not
// see the target's path as its cwd) whose entries lead into the target.
func TestLinkEntries(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "source")
	os.MkdirAll(filepath.Join(src, "src"), 0o755)
	os.WriteFile(filepath.Join(src, "Cargo.toml"), []byte("[package]\n"), 0o644)
	os.WriteFile(filepath.Join(src, "src/main.rs"), []byte("fn main() {}\n"), 0o644)
	ws := filepath.Join(dir, "scratch/ws")
	if err := link(ws, job.Link{Path: "ws", Target: src, Entries: true}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(ws); err != nil || !fi.IsDir() {
		t.Fatalf("ws is not a directory: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(ws, "src/main.rs")); err != nil || string(b) != "fn main() {}\n" {
		t.Errorf("ws/src/main.rs: %q, %v", b, err)
	}
	if target, err := os.Readlink(filepath.Join(ws, "Cargo.toml")); err != nil || target != filepath.Join(src, "Cargo.toml") {
		t.Errorf("ws/Cargo.toml links to %q (%v)", target, err)
	}

	one := filepath.Join(dir, "scratch/ws2/app")
	if err := link(one, job.Link{Path: "ws2/app", Target: src}); err != nil {
		t.Fatal(err)
	}
	if target, err := os.Readlink(one); err != nil || target != src {
		t.Errorf("ws2/app links to %q (%v)", target, err)
	}
}
