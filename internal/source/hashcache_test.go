package source

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/cache"
)

// The cache gives the same store path as hashing, skips unchanged trees, and
// notices every change.
func TestHashCache(t *testing.T) {
	dir := t.TempDir()
	pkg := filepath.Join(dir, "pkg")
	os.MkdirAll(filepath.Join(pkg, "src"), 0o755)
	write := func(rel, body string, age time.Duration) {
		p := filepath.Join(pkg, rel)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		past := time.Now().Add(-age)
		os.Chtimes(p, past, past)
	}
	write("Cargo.toml", "[package]\n", time.Hour)
	write("src/lib.rs", "pub fn f() {}\n", time.Hour)
	cachePath := filepath.Join(dir, "cache.json")
	ctx := context.Background()

	plain, err := Select(ctx, pkg, "pkg-source")
	if err != nil {
		t.Fatal(err)
	}
	c := cache.OpenHashCache(cachePath)
	hashed := 0
	counting := func(t *Tree) func() ([32]byte, error) {
		return func() ([32]byte, error) { hashed++; return t.narHash() }
	}
	for run := 0; run < 2; run++ {
		tr, err := (&Lister{Cache: c}).Select(ctx, pkg, "pkg-source")
		if err != nil {
			t.Fatal(err)
		}
		if tr.Path != plain.Path {
			t.Fatalf("run %d: cached path %s, hashed path %s", run, tr.Path, plain.Path)
		}
		if _, err := c.Lookup("tree", tr.Dir, tr.Files, counting(tr)); err != nil {
			t.Fatal(err)
		}
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
		c = cache.OpenHashCache(cachePath)
	}
	if hashed != 0 {
		t.Errorf("an unchanged tree was hashed %d times", hashed)
	}

	// An edit, even of the same size, changes the identity.
	write("src/lib.rs", "pub fn g() {}\n", time.Hour/2)
	edited, err := (&Lister{Cache: c}).Select(ctx, pkg, "pkg-source")
	if err != nil {
		t.Fatal(err)
	}
	fresh, _ := Select(ctx, pkg, "pkg-source")
	if edited.Path != fresh.Path || edited.Path == plain.Path {
		t.Errorf("after an edit: cached %s, hashed %s, before %s", edited.Path, fresh.Path, plain.Path)
	}

	// A file changed just now is hashed and not remembered.
	write("src/lib.rs", "pub fn h() {}\n", 0)
	c = cache.OpenHashCache(cachePath)
	tr, _ := (&Lister{Cache: c}).Select(ctx, pkg, "pkg-source")
	if c.Remembered() != 0 {
		t.Errorf("remembered a tree changed %v ago", time.Since(time.Now()))
	}
	if fresh, _ := Select(ctx, pkg, "pkg-source"); tr.Path != fresh.Path {
		t.Errorf("recent tree: %s, want %s", tr.Path, fresh.Path)
	}

	// A file's hash and a tree of that one file are different things.
	one := filepath.Join(pkg, "Cargo.toml")
	sum, _ := c.File(one, func() ([32]byte, error) { return [32]byte{1}, nil })
	tsum, _ := c.Lookup("tree", pkg, []string{"Cargo.toml"}, func() ([32]byte, error) { return [32]byte{2}, nil })
	if sum == tsum {
		t.Error("a file and a tree share a cache entry")
	}
}
