package report

import (
	"strings"
	"testing"
)

func TestPrinter(t *testing.T) {
	var w strings.Builder
	p, err := NewPrinter(&w, ColorNever, ProgressPlain, false, false)
	if err != nil {
		t.Fatal(err)
	}
	p.Status("Compiling", "serde v1.0.152 (lib)")
	p.Bar(1, 2, []string{"serde"}) // not a terminal: no bar
	p.Warning("something")
	p.Diagnostics("\x1b[33mwarning\x1b[0m: x\n")
	want := "   Compiling serde v1.0.152 (lib)\nwarning: something\nwarning: x\n"
	if w.String() != want {
		t.Errorf("plain output %q, want %q", w.String(), want)
	}

	w.Reset()
	p, _ = NewPrinter(&w, ColorAlways, ProgressPlain, false, false)
	p.Live = true
	p.Bar(3, 12, []string{"serde", "syn"})
	p.Status("Compiling", "syn v1.0.107 (lib)")
	p.Done()
	got := w.String()
	for _, want := range []string{"[======>                  ] 3/12: serde, syn", "\r\x1b[K", "\x1b[", "Compiling\x1b"} {
		if !strings.Contains(got, want) {
			t.Errorf("live output %q lacks %q", got, want)
		}
	}
	if !strings.HasSuffix(got, "(lib)\n") {
		t.Errorf("Done left the bar on screen: %q", got)
	}

	w.Reset()
	p, _ = NewPrinter(&w, ColorNever, ProgressPlain, true, false)
	p.Status("Compiling", "x")
	p.Diagnostics("warning: x\n")
	if w.Len() != 0 {
		t.Errorf("quiet printed %q", w.String())
	}
	if _, err := NewPrinter(&w, "sometimes", ProgressPlain, false, false); err == nil {
		t.Error("--color=sometimes accepted")
	}
}
