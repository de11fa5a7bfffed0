package source

import (
	"context"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testtool"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
)

// Select keeps what git would track, drops .env files, target/, links into
// the Nix store and nested packages, and one Lister answers many packages
// from one git call.
func TestSelect(t *testing.T) {
	testtool.Require(t, "git")
	root := t.TempDir()
	write := func(rel, body string) {
		p := filepath.Join(root, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".gitignore", "*.log\n")
	write("Cargo.toml", "[workspace]\n")
	write("a/Cargo.toml", "[package]\n")
	write("a/src/lib.rs", "")
	write("a/debug.log", "ignored")
	write("a/.env", "TOKEN=secret")
	write("a/.env.local", "TOKEN=secret")
	write("a/target/debug/x", "built")
	write("a/nested/Cargo.toml", "[package]\n")
	write("a/nested/src/lib.rs", "")
	write("b/Cargo.toml", "[package]\n")
	write("b/README.md", "")
	// A build's result link in a package is no source of it.
	if err := os.Symlink("/nix/store/00000000000000000000000000000000-b", filepath.Join(root, "b", "result")); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("git", "-C", root, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	ctx := context.Background()
	want := map[string][]string{
		"a":        {"Cargo.toml", "src/lib.rs"},
		"a/nested": {"Cargo.toml", "src/lib.rs"},
		"b":        {"Cargo.toml", "README.md"},
	}
	l := new(Lister)
	for dir, files := range want {
		tr, err := l.Select(ctx, filepath.Join(root, dir), "src")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(tr.Files, files) {
			t.Errorf("%s: selected %q, want %q", dir, tr.Files, files)
		}
	}
	if len(l.repos) != 1 {
		t.Errorf("asked git for %d repositories, want 1", len(l.repos))
	}

	// Outside git, the walk applies the same exclusions, except .gitignore.
	os.RemoveAll(filepath.Join(root, ".git"))
	tr, err := Select(ctx, filepath.Join(root, "a"), "src")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Cargo.toml", "debug.log", "src/lib.rs"}; !reflect.DeepEqual(tr.Files, want) {
		t.Errorf("without git: selected %q, want %q", tr.Files, want)
	}
}
