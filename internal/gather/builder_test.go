package gather

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindBuilder(t *testing.T) {
	t.Setenv("CARGO_NIX_UNIT_BUILDER", "")
	self, err := os.Executable() // its directory holds no builder
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
