package builder

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// A library's output links its direct library dependencies; a dependent walks
// those links to the whole closure, each output once.
func TestDepClosure(t *testing.T) {
	store := t.TempDir()
	out := func(name string) string {
		p := filepath.Join(store, name)
		if err := os.MkdirAll(filepath.Join(p, "lib"), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a, b, c, d := out("a"), out("b"), out("c"), out("d")
	// d <- b, c <- a: a diamond.
	for lib, deps := range map[string][]string{b: {d}, c: {d}, a: {b, c}} {
		if err := exportDeps(lib, deps); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := depClosure([]string{a}), []string{a, b, c, d}; !reflect.DeepEqual(got, want) {
		t.Errorf("closure of a: %q, want %q", got, want)
	}
	if got, want := depClosure([]string{c, b}), []string{b, c, d}; !reflect.DeepEqual(got, want) {
		t.Errorf("closure of b, c: %q, want %q", got, want)
	}
	if err := exportDeps(out("e"), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(store, "e", "deps")); err == nil {
		t.Error("a library without dependencies got a deps/ directory")
	}
}
