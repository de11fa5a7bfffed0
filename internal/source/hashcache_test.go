package source

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/aterm"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/cache"
)

// The cache survives the process that wrote it: a cache opened anew from its
// file (HashCache keeps no state outside the file, so this is what the next
// run sees) gives a tree's and a file's hash without calling the hash function
// when nothing changed, calls it for an edited file, and gives the same store
// paths as hashing.
//
// Mutation checks: with cache.OpenHashCache not reading its file, or Save not
// writing it, "run 2" hashes the unchanged tree and file again and fails.
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
	builder := filepath.Join(dir, "builder")
	if err := os.WriteFile(builder, []byte("builder"), 0o755); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	os.Chtimes(builder, old, old)
	cachePath := filepath.Join(dir, "cache.json")
	ctx := context.Background()

	// run opens the cache anew from its file, selects the package and hashes
	// the builder through it, saves it, and says how often each was hashed.
	run := func(name string) (tree *Tree, treeHashed, fileHashed int) {
		t.Helper()
		c := cache.OpenHashCache(cachePath)
		files, err := Select(ctx, pkg, "pkg-source")
		if err != nil {
			t.Fatal(err)
		}
		sum, err := c.Lookup("tree", files.Dir, files.Files, func() ([32]byte, error) { treeHashed++; return files.narHash() })
		if err != nil {
			t.Fatal(err)
		}
		tree = &Tree{Dir: files.Dir, Files: files.Files, Path: aterm.StorePathForSource(sum, "pkg-source")}
		if tree.Path != files.Path {
			t.Errorf("%s: cached path %s, hashed path %s", name, tree.Path, files.Path)
		}
		// As the planner asks: the same path, through the cache.
		if listed, err := (&Lister{Cache: c}).Select(ctx, pkg, "pkg-source"); err != nil || listed.Path != files.Path {
			t.Errorf("%s: Lister with the cache: %v, %v; want %s", name, listed, err, files.Path)
		}
		if _, err := c.File(builder, func() ([32]byte, error) { fileHashed++; return [32]byte{7}, nil }); err != nil {
			t.Fatal(err)
		}
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
		return tree, treeHashed, fileHashed
	}

	first, th, fh := run("run 1")
	if th != 1 || fh != 1 {
		t.Errorf("run 1, empty cache: tree hashed %d times, file %d; want 1 and 1", th, fh)
	}
	if _, err := os.Stat(cachePath); err != nil {
		t.Fatalf("run 1 saved no cache: %v", err)
	}
	if again, th, fh := run("run 2"); th != 0 || fh != 0 || again.Path != first.Path {
		t.Errorf("run 2, nothing changed: tree hashed %d times, file %d (want 0 and 0); path %s, was %s", th, fh, again.Path, first.Path)
	}

	// An edit, even of the same size and to an old mtime, changes the identity.
	write("src/lib.rs", "pub fn g() {}\n", time.Hour/2)
	edited, th, fh := run("run 3")
	if th != 1 || fh != 0 || edited.Path == first.Path {
		t.Errorf("run 3, lib.rs edited: tree hashed %d times, file %d (want 1 and 0); path %s, before the edit %s", th, fh, edited.Path, first.Path)
	}
	if again, th, _ := run("run 4"); th != 0 || again.Path != edited.Path {
		t.Errorf("run 4, nothing changed since the edit: tree hashed %d times (want 0); path %s, want %s", th, again.Path, edited.Path)
	}
	os.Chtimes(builder, old.Add(time.Minute), old.Add(time.Minute))
	if _, _, fh := run("run 5"); fh != 1 {
		t.Errorf("run 5, builder touched: hashed %d times, want 1", fh)
	}

	// A file changed just now is hashed and not remembered.
	write("src/lib.rs", "pub fn h() {}\n", 0)
	c := cache.OpenHashCache(cachePath)
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
