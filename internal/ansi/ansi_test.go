package ansi

import "testing"

func TestStrip(t *testing.T) {
	in := "\x1b[1m\x1b[33mwarning\x1b[0m: unused \x1b[38;5;12m`x`\x1b[K\n"
	if got, want := Strip(in), "warning: unused `x`\n"; got != want {
		t.Errorf("Strip = %q, want %q", got, want)
	}
}
