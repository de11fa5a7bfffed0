package e2e

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// doc on testdata/workspaces/diagnostics documents what cargo doc documents:
// result-doc/share/doc holds the same files as Cargo's target/doc (the
// workspace's crates, the dependency itoa, the sources, the search index and
// the static files), every relative link of its pages resolves, tally's page
// links to itoa's, the diagnostics are Cargo's, and a second run builds nothing.
func TestDoc(t *testing.T) {
	requireTools(t)
	ws := copyFixture(t, "diagnostics")
	target := filepath.Join(t.TempDir(), "target")
	want := run(t, ws, []string{"CARGO_TARGET_DIR=" + target}, "cargo", "doc")
	if want.code != 0 {
		t.Fatalf("cargo doc: exit %d\n%s", want.code, want.stderr)
	}
	got := mustCNU(t, ws, "doc", "--color=never", "--progress=plain")
	doc := filepath.Join(ws, "result-doc", "share", "doc")
	if g, w := diagnosticBlocks(got.stderr), diagnosticBlocks(want.stderr); !reflect.DeepEqual(g, w) {
		t.Errorf("diagnostics differ from Cargo's\n--- cargo nix-unit:\n%s\n--- cargo:\n%s", strings.Join(g, "\n"), strings.Join(w, "\n"))
	}
	if !strings.Contains(got.stderr, "Generated result-doc/share/doc/app/index.html and 1 other file") {
		t.Errorf("no Generated line like Cargo's:\n%s", got.stderr)
	}

	// The files of Cargo's target/doc; the search index's are named by content.
	g, w := docFiles(t, doc), docFiles(t, filepath.Join(target, "doc"))
	if !reflect.DeepEqual(g, w) {
		t.Errorf("share/doc differs from Cargo's target/doc\n--- cargo nix-unit:\n%s\n--- cargo:\n%s", strings.Join(g, "\n"), strings.Join(w, "\n"))
	}
	for _, f := range []string{"tally/index.html", "app/index.html", "itoa/index.html", "itoa/struct.Buffer.html",
		"src/tally/lib.rs.html", "search.index/root.js", "crates.js", "help.html", "settings.html"} {
		if _, err := os.Stat(filepath.Join(doc, f)); err != nil {
			t.Errorf("share/doc lacks %s: %v", f, err)
		}
	}
	if page, _ := os.ReadFile(filepath.Join(doc, "tally", "index.html")); !strings.Contains(string(page), `href="../itoa/struct.Buffer.html"`) {
		t.Errorf("tally's page does not link to itoa's Buffer")
	}
	// Cargo's own help.html and settings.html link to an index.html that
	// only --enable-index-page writes: what is broken there may be here.
	broken, checked := brokenLinks(t, doc)
	cargoBroken, _ := brokenLinks(t, filepath.Join(target, "doc"))
	for _, b := range broken {
		if !slices.Contains(cargoBroken, b) {
			t.Errorf("%s, which does not exist", b)
		}
	}
	if checked < 100 {
		t.Errorf("only %d relative links checked", checked)
	}

	// Again, through Cargo and Nix, then from the no-op stamp.
	for _, extra := range [][]string{{"--recheck"}, nil} {
		again := mustCNU(t, ws, append([]string{"doc", "--color=never", "--progress=plain"}, extra...)...)
		if !strings.Contains(again.stderr, " 0 built") || strings.Contains(again.stderr, "Documenting ") {
			t.Errorf("doc %v again built units:\n%s", extra, again.stderr)
		}
		if !reflect.DeepEqual(diagnosticBlocks(again.stderr), diagnosticBlocks(got.stderr)) || !strings.Contains(again.stderr, "Generated result-doc/share/doc/app/index.html") {
			t.Errorf("doc %v again says other things:\n%s", extra, again.stderr)
		}
	}
}

// docFiles lists the files under dir, following links (the result links
// each crate's directory to its unit's output); the search index's files
// are counted, not named, and Cargo's lock file is left out.
func docFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	index := 0
	walkFollowing(t, dir, "", func(rel string) {
		switch {
		case rel == ".lock":
		case strings.HasPrefix(rel, "search.index/") && rel != "search.index/root.js":
			index++
		default:
			files = append(files, rel)
		}
	})
	if index == 0 {
		t.Errorf("%s: no search index", dir)
	}
	sort.Strings(files)
	return files
}

// walkFollowing calls fn with the path (relative to root) of every file
// under root/rel, following symbolic links to directories.
func walkFollowing(t *testing.T, root, rel string, fn func(string)) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(root, rel))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		r := filepath.Join(rel, e.Name())
		fi, err := os.Stat(filepath.Join(root, r))
		if err != nil {
			t.Errorf("%s: %v", r, err)
			continue
		}
		if fi.IsDir() {
			walkFollowing(t, root, r, fn)
		} else {
			fn(filepath.ToSlash(r))
		}
	}
}

// linkRe finds the targets of href= and src= attributes.
var linkRe = regexp.MustCompile(`(?:href|src)="([^"]*)"`)

// brokenLinks lists the relative links of the pages under dir that point to
// no file ("page links to target"), and counts the links it checked.
func brokenLinks(t *testing.T, dir string) (broken []string, n int) {
	t.Helper()
	walkFollowing(t, dir, "", func(rel string) {
		if !strings.HasSuffix(rel, ".html") {
			return
		}
		page, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range linkRe.FindAllStringSubmatch(string(page), -1) {
			link := m[1]
			if link == "" || strings.HasPrefix(link, "#") || strings.Contains(link, "://") ||
				strings.HasPrefix(link, "javascript:") || strings.Contains(link, "${") {
				continue // an anchor, the web, a script's template
			}
			link, _, _ = strings.Cut(link, "#")
			link, _, _ = strings.Cut(link, "?")
			to := filepath.Join(dir, filepath.Dir(rel), link)
			if _, err := os.Stat(to); err != nil {
				broken = append(broken, rel+" links to "+m[1])
			}
			n++
		}
	})
	return broken, n
}
