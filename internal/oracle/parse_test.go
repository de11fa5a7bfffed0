package oracle

import (
	"reflect"
	"testing"
)

func TestParseRunning(t *testing.T) {
	out := "   Compiling quote v1.0.21\n" +
		"     Running `CARGO=/c CARGO_BIN_EXE_c-dash=/t/c-dash A='x'\\''s `proc_macro`\nline two' B='' /r/rustc --crate-name q --cfg 'feature=\"std\"' 'Quasi'\\!'(...)'`\n" +
		"[q 1.0.21] cargo:rustc-cfg=x Running `not a command`\n" +
		"     Running `/t/debug/build/q-0123456789abcdef/build-script-build`\n"
	got, err := parseRunning(out)
	if err != nil {
		t.Fatal(err)
	}
	want := []invocation{
		{Env: map[string]string{"CARGO": "/c", "CARGO_BIN_EXE_c-dash": "/t/c-dash", "A": "x's `proc_macro`\nline two", "B": ""}, Program: "/r/rustc",
			Args: []string{"--crate-name", "q", "--cfg", `feature="std"`, "Quasi!(...)"}},
		{Env: map[string]string{}, Program: "/t/debug/build/q-0123456789abcdef/build-script-build", Args: []string{}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
	if _, err := parseRunning("     Running `rustc 'open"); err == nil {
		t.Error("an unterminated quote was accepted")
	}
}
