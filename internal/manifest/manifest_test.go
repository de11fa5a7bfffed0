package manifest

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

func TestLintFlags(t *testing.T) {
	// The order Cargo 1.95 printed for this table (cargo build -v).
	src := `
[rust]
unsafe_code = "forbid"
missing_docs = { level = "warn", priority = -1 }
unexpected_cfgs = { level = "warn", check-cfg = ['cfg(has_foo)', 'cfg(bar, values("x"))'] }
[clippy]
all = "deny"
pedantic = { level = "warn", priority = -1 }
[cargo]
unknown_lints = "warn"
`
	var lints map[string]any
	if _, err := toml.Decode(src, &lints); err != nil {
		t.Fatal(err)
	}
	got, err := LintFlags(lints)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"--warn=clippy::pedantic", "--warn=missing_docs", "--forbid=unsafe_code", "--warn=unexpected_cfgs", "--deny=clippy::all",
		"--check-cfg", "cfg(has_foo)", "--check-cfg", `cfg(bar, values("x"))`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	for _, bad := range []string{`[rust]
x = "loud"`, `[rust]
x = { level = "warn", priority = "high" }`, `[rust]
unexpected_cfgs = { level = "warn", check-cfg = "cfg(x)" }`} {
		var l map[string]any
		if _, err := toml.Decode(bad, &l); err != nil {
			t.Fatal(err)
		}
		if _, err := LintFlags(l); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func TestReadInheritsAndHarness(t *testing.T) {
	ws := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(ws, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Cargo.toml", "[workspace]\nmembers = [\"a\"]\n[workspace.lints.rust]\nunsafe_code = \"deny\"\n")
	write("a/Cargo.toml", `[package]
name = "a-b"
[lints]
workspace = true
[lib]
harness = false
[[test]]
name = "t1"
harness = false
[[test]]
name = "t2"
`)
	m, err := Read(filepath.Join(ws, "a", "Cargo.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"--deny=unsafe_code"}; !reflect.DeepEqual(m.LintFlags, want) {
		t.Errorf("lints %q, want %q", m.LintFlags, want)
	}
	if want := map[string]bool{"lib:a_b": true, "test:t1": true}; !reflect.DeepEqual(m.NoHarness, want) {
		t.Errorf("no harness %v, want %v", m.NoHarness, want)
	}
	write("Cargo.toml", "[workspace]\nmembers = [\"a\"]\n")
	if _, err := Read(filepath.Join(ws, "a", "Cargo.toml")); err == nil || !strings.Contains(err.Error(), "no [workspace.lints]") {
		t.Errorf("error %v, want one about the missing [workspace.lints]", err)
	}
}

func TestProfileInherits(t *testing.T) {
	p := filepath.Join(t.TempDir(), "Cargo.toml")
	text := "[workspace]\n[profile.release]\nlto = true\n[profile.custom]\ninherits = \"release\"\n[profile.dev.package.x]\nopt-level = 1\n"
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ProfileInherits(p)
	if want := map[string]string{"custom": "release"}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("%v, %v; want %v", got, err, want)
	}
}
