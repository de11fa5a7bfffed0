package run

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestQuote(t *testing.T) {
	got := Quote([]string{"rustc", "--cfg", `feature="std"`, "a b", "it's", ""})
	want := `rustc --cfg 'feature="std"' 'a b' 'it'\''s' ''`
	if got != want {
		t.Errorf("Quote = %s, want %s", got, want)
	}
}

func TestTraceAndErrors(t *testing.T) {
	var trace strings.Builder
	Trace = &trace
	defer func() { Trace = nil }()
	ctx := context.Background()
	out, err := Output(ctx, Cmd{Args: []string{"sh", "-c", "echo out; echo err >&2; exit 3"}, Env: []string{"X=1"}})
	var re *Error
	if !errors.As(err, &re) || re.ExitCode() != 3 || strings.TrimSpace(re.Stderr) != "err" || string(out) != "out\n" {
		t.Fatalf("Output: %q, %#v", out, err)
	}
	var lines []string
	if _, err := Stream(ctx, Cmd{Args: []string{"sh", "-c", "echo a >&2; echo b >&2"}}, 0, func(l string) { lines = append(lines, l) }); err != nil {
		t.Fatal(err)
	}
	if strings.Join(lines, ",") != "a,b" {
		t.Errorf("Stream lines %q", lines)
	}
	want := "+ X=1 sh -c 'echo out; echo err >&2; exit 3'\n+ sh -c 'echo a >&2; echo b >&2'\n"
	if trace.String() != want {
		t.Errorf("trace %q, want %q", trace.String(), want)
	}
}
