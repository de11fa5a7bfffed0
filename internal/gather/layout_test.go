package gather

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestGlobDirs(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"a/x/b", "a/y/b", "a/z"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		pattern string
		want    []string
	}{
		{"app", nil},
		{"crates/*", []string{"crates"}}, // watched while missing
		{"a/*", []string{"a"}},
		{"a/*/b/*", []string{"a", "a/x/b", "a/y/b"}},
		{"a/*/b/c", []string{"a"}},
	} {
		var want []string
		for _, w := range tc.want {
			want = append(want, filepath.Join(root, w))
		}
		if got := globDirs(root, tc.pattern); !reflect.DeepEqual(got, want) {
			t.Errorf("globDirs(%q) = %q, want %q", tc.pattern, got, want)
		}
	}
}
