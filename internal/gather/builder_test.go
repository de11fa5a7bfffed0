package gather

import (
	"debug/elf"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindBuilder(t *testing.T) {
	t.Setenv("CARGO_NIX_UNIT_BUILDER", "")
	self, err := os.Executable() // a Go test binary: static ELF on Linux
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "script")
	if err := os.WriteFile(script, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(dir, "plain")
	if err := os.WriteFile(plain, []byte("data"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path string
		want       []string // substrings of the error; none = success
	}{
		{"next to this program, missing", "", []string{BuilderName + " not found next to " + filepath.Dir(self), InstallHint}},
		{"explicit, missing", filepath.Join(dir, "nope"), []string{"the builder " + filepath.Join(dir, "nope"), "no such file"}},
		{"not executable", plain, []string{"is not executable"}},
		{"not ELF", script, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tree, err := FindBuilder(tc.path, nil)
			if tc.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				if !strings.HasSuffix(tree.Path, "-"+BuilderName) {
					t.Errorf("store path %s", tree.Path)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// A dynamically linked ELF builder is refused with the command that installs a
// static one; a static one is accepted.
func TestFindBuilderStatic(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if interp(self) {
		t.Skipf("the test binary %s is not a static ELF here", self)
	}
	if _, err := FindBuilder(self, nil); err != nil {
		t.Errorf("static builder refused: %v", err)
	}
	const dyn = "/bin/sh"
	if !interp(dyn) {
		t.Skipf("%s is not a dynamically linked ELF here", dyn)
	}
	_, err = FindBuilder(dyn, nil)
	if err == nil || !strings.Contains(err.Error(), "dynamically linked") || !strings.Contains(err.Error(), InstallHint) {
		t.Errorf("dynamic builder: got %v", err)
	}
}

// interp reports whether path is an ELF asking for a dynamic loader.
func interp(path string) bool {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return false
	}
	f, err := elf.Open(real)
	if err != nil {
		return false
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return true
		}
	}
	return false
}
