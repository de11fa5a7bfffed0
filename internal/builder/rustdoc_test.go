package builder

import (
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
)

// A doc unit's output directory gets links to the crate directories of every
// documented dependency, direct or not; afterwards it keeps only its own pages.
func TestDocDirectory(t *testing.T) {
	store := t.TempDir()
	docOut := func(name, crate string, deps ...string) string {
		out := filepath.Join(store, name)
		for _, d := range []string{crate, "src/" + crate} {
			if err := os.MkdirAll(filepath.Join(job.DocDir(out), d), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(job.DocDir(out), "help.html"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := exportDeps(out, deps); err != nil {
			t.Fatal(err)
		}
		return out
	}
	low := docOut("low", "low")
	mid := docOut("mid", "mid", low)
	out := filepath.Join(store, "top")
	b := &builder{job: &job.Job{Doc: &job.Doc{Crate: "top", Deps: []string{mid}}}, out: out, stderr: io.Discard}
	if err := b.prepareDoc(); err != nil {
		t.Fatal(err)
	}
	dir := job.DocDir(out)
	for crate, target := range map[string]string{"mid": mid, "low": low} {
		if got, err := os.Readlink(filepath.Join(dir, crate)); err != nil || got != filepath.Join(job.DocDir(target), crate) {
			t.Errorf("%s: link %q (%v), want one to %s's pages", crate, got, err, crate)
		}
	}

	// What rustdoc writes: the crate's pages and sources, and shared files.
	for _, d := range []string{"top", "src/top", "static.files", "search.index", "trait.impl/core"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"help.html", "settings.html", "crates.js", ".lock"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.finishDoc(); err != nil {
		t.Fatal(err)
	}
	var kept []string
	filepath.WalkDir(dir, func(p string, _ os.DirEntry, _ error) error {
		rel, _ := filepath.Rel(dir, p)
		kept = append(kept, rel)
		return nil
	})
	sort.Strings(kept)
	if want := []string{".", "help.html", "settings.html", "src", "src/top", "top"}; !reflect.DeepEqual(kept, want) {
		t.Errorf("kept %q, want %q", kept, want)
	}
	if got, err := os.Readlink(filepath.Join(job.DepsDir(out), "mid")); err != nil || got != mid {
		t.Errorf("deps/ does not link the documented dependency: %q, %v", got, err)
	}
}
