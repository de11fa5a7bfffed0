package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Bad input ends in one clear message and a non-zero exit: the tool's own
// line (one per failing unit) comes first and once, followed by what Cargo,
// rustc or the build script said, each error line of it once.
//
// Mutation check: with main.go printing the error twice, every case fails.
func TestBadInput(t *testing.T) {
	requireTools(t)
	fakeNix := filepath.Join(t.TempDir(), "nix")
	if err := os.WriteFile(fakeNix, []byte("#!/bin/sh\necho 'nix (Nix) 2.8.0'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		setup func(ws string)
		args  []string
		code  int
		want  []string // the first is the tool's own message
		once  []string // more that must appear exactly once
	}{
		{
			name:  "not a cargo project",
			setup: func(ws string) { os.Remove(filepath.Join(ws, "Cargo.toml")) },
			code:  101, // Cargo's status
			want:  []string{"cargo could not produce the unit graph", "could not find `Cargo.toml`"},
		},
		{
			name: "broken manifest",
			setup: func(ws string) {
				edit(t, filepath.Join(ws, "app/Cargo.toml"), `version = "1.0.0"`, `version = 1.0.0`)
			},
			code: 101,
			want: []string{"cargo could not produce the unit graph", "app/Cargo.toml"},
		},
		{
			name: "nix too old",
			args: []string{"--nix", fakeNix},
			code: 1,
			want: []string{"found Nix 2.8.0; cargo-nix-unit needs Nix 2.18 or newer"},
		},
		{
			name: "compile error",
			setup: func(ws string) {
				edit(t, filepath.Join(ws, "app/src/main.rs"), `scoops: 2,`, `scoops: "two",`)
			},
			code: 101,
			want: []string{"could not build app v1.0.0 (bin app)", "error[E0308]: mismatched types", "app/src/main.rs", "nix log /nix/store/"},
			once: []string{"error[E0308]: mismatched types"},
		},
		{
			name: "keep going lists every failure",
			setup: func(ws string) {
				edit(t, filepath.Join(ws, "app/build.rs"), `fn main() {`, `fn main() { std::process::exit(4);`)
				edit(t, filepath.Join(ws, "greeter/src/lib.rs"), `format!("Good day, {name}!")`, `format!("Good day, {name}!") + 1`)
			},
			args: []string{"--keep-going"},
			code: 101,
			want: []string{"could not build app v1.0.0 (build script run)", "exit status: 4", "could not build greeter v0.2.1 (lib)", "error[E0308]"},
			once: []string{"could not build greeter v0.2.1 (lib)", "error[E0308]"},
		},
		{
			name: "failing build script",
			setup: func(ws string) {
				edit(t, filepath.Join(ws, "app/build.rs"), `fn main() {`, `fn main() { eprintln!("no ice cream today"); std::process::exit(3);`)
			},
			code: 101,
			want: []string{"could not build app v1.0.0 (build script run)", "no ice cream today", "exit status: 3"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ws := copyWorkspace(t, "workspace")
			if tc.setup != nil {
				tc.setup(ws)
			}
			r := cnu(t, ws, append([]string{"build", "--no-link"}, tc.args...)...)
			if r.code != tc.code {
				t.Errorf("exit %d, want %d\n%s", r.code, tc.code, r.stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
			oneMessage(t, r.stderr, tc.want[0], tc.once)
		})
	}
}

// oneMessage fails unless the first error line of stderr is "error: " and
// headline, headline and each of once appear exactly once, and no error line
// (the tool's, Cargo's, rustc's, a build script's) is repeated.
func oneMessage(t *testing.T, stderr, headline string, once []string) {
	t.Helper()
	seen := map[string]bool{}
	first := ""
	for _, l := range strings.Split(stderr, "\n") {
		if !strings.HasPrefix(l, "error") {
			continue
		}
		if first == "" {
			first = l
		}
		if seen[l] {
			t.Errorf("error line printed twice: %q\n%s", l, stderr)
		}
		seen[l] = true
	}
	if !strings.HasPrefix(first, "error: ") || !strings.Contains(first, headline) {
		t.Errorf("the first error line is %q, want the tool's `error: …%s…`\n%s", first, headline, stderr)
	}
	for _, s := range append([]string{headline}, once...) {
		if n := strings.Count(stderr, s); n != 1 {
			t.Errorf("%q appears %d times, want once\n%s", s, n, stderr)
		}
	}
}
