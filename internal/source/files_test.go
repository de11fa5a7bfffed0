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

// Select keeps what git would track, drops .env files, target/ and nested
// packages, and one Lister answers many packages from one git call.
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

// What the build writes stays out, with git and without: the paths Exclude
// names (a target directory, an -o link) and links named result or result-*
// into the store; a file named like them stays.
func TestSelectExcludesOutputs(t *testing.T) {
	testtool.Require(t, "git")
	for _, vcs := range []bool{true, false} {
		root := t.TempDir()
		write := func(rel, body string) {
			p := filepath.Join(root, rel)
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		write("Cargo.toml", "[package]\n")
		write("src/main.rs", "")
		write("result.txt", "a file")
		write("out/debug/c2", "built")
		write("out/nix-unit/last-build.json", "{}")
		os.Symlink("/nix/store/00000000000000000000000000000000-c2", filepath.Join(root, "result"))
		os.Symlink("/nix/store/00000000000000000000000000000000-c2", filepath.Join(root, "result-1"))
		os.Symlink("/nix/store/00000000000000000000000000000000-c2", filepath.Join(root, "mylink"))
		os.Symlink("src/main.rs", filepath.Join(root, "result-src"))
		if vcs {
			if out, err := exec.Command("git", "-C", root, "init", "-q").CombinedOutput(); err != nil {
				t.Fatalf("git init: %v\n%s", err, out)
			}
		}
		l := &Lister{Exclude: []string{filepath.Join(root, "out"), filepath.Join(root, "mylink"), "/elsewhere"}}
		tr, err := l.Select(context.Background(), root, "src")
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"Cargo.toml", "result-src", "result.txt", "src/main.rs"}; !reflect.DeepEqual(tr.Files, want) {
			t.Errorf("git %v: selected %q, want %q", vcs, tr.Files, want)
		}
	}
}
