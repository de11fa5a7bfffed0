package report

import (
	"strings"
	"testing"
)

func TestDocPages(t *testing.T) {
	for _, tc := range []struct {
		name  string
		pages []string
		quiet bool
		want  string
	}{
		{"none", nil, false, ""},
		{"one", []string{"doc/a/index.html"}, false, "   Generated result/doc/a/index.html\n"},
		{"two", []string{"doc/a/index.html", "doc/b/index.html"}, false, "   Generated result/doc/a/index.html and 1 other file\n"},
		{"three", []string{"doc/a/index.html", "doc/b/index.html", "doc/c/index.html"}, false, "   Generated result/doc/a/index.html and 2 other files\n"},
		{"quiet", []string{"doc/a/index.html"}, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var w strings.Builder
			pr, err := NewPrinter(&w, ColorNever, ProgressPlain, tc.quiet, false)
			if err != nil {
				t.Fatal(err)
			}
			DocPages(pr, "result", tc.pages)
			if w.String() != tc.want {
				t.Errorf("printed %q, want %q", w.String(), tc.want)
			}
		})
	}
}

func TestNotes(t *testing.T) {
	var w strings.Builder
	pr, _ := NewPrinter(&w, ColorNever, ProgressPlain, false, false)
	pr.Notes([]string{"one", "two"})
	if want := "        Note one\n        Note two\n"; w.String() != want {
		t.Errorf("printed %q, want %q", w.String(), want)
	}
}
