package cargoconfig

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var linuxCfg = []string{"panic=\"unwind\"", "target_arch=\"x86_64\"", "target_os=\"linux\"", "target_pointer_width=\"64\"", "unix"}

func TestMatchCfg(t *testing.T) {
	for key, want := range map[string]bool{
		`cfg(unix)`:                            true,
		`cfg(windows)`:                         false,
		`cfg(target_os = "linux")`:             true,
		`cfg(target_os="macos")`:               false,
		`cfg(all(unix, target_arch="x86_64"))`: true,
		`cfg(all(unix, windows))`:              false,
		`cfg(any(windows, unix,))`:             true,
		`cfg(not(windows))`:                    true,
		`cfg(all())`:                           true,
		`cfg(any())`:                           false,
	} {
		got, err := MatchCfg(key, linuxCfg)
		if err != nil || got != want {
			t.Errorf("%s: %v, %v; want %v", key, got, err, want)
		}
	}
	for _, bad := range []string{`unix`, `cfg(unix`, `cfg(not(a, b))`, `cfg(a = b)`, `cfg(unix) x`} {
		if _, err := MatchCfg(bad, linuxCfg); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadMergesAndRustflags(t *testing.T) {
	root := t.TempDir()
	home := filepath.Join(root, "home")
	ws := filepath.Join(root, "ws")
	write(t, filepath.Join(home, "config.toml"), "[build]\nrustflags = [\"-Chome\"]\n[env]\nA = \"home\"\nB = \"home\"\n")
	write(t, filepath.Join(root, ".cargo", "config.toml"), "[build]\nrustflags = \"--cfg  parent\"\n")
	write(t, filepath.Join(ws, ".cargo", "config.toml"), `
[build]
rustflags = ["--cfg", "ws"]
[target.x86_64-unknown-linux-gnu]
rustflags = ["-Ctriple"]
[target.'cfg(unix)']
rustflags = ["-Cunix"]
linker = "tools/cc"
[target.aarch64-unknown-linux-gnu]
linker = "aarch64-cc"
[target.'cfg(windows)']
rustflags = ["-Cwindows"]
[env]
A = "ws"
F = { value = "f", force = true }
R = { value = "data/x", relative = true }
`)
	vars := map[string]string{"CARGO_HOME": home, "CARGO_BUILD_RUSTFLAGS": " -Cenv ", "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER": "wasm-ld"}
	c, err := Load(filepath.Join(ws, "sub"), func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"-Chome", "--cfg", "parent", "--cfg", "ws", "-Cenv"}; !reflect.DeepEqual(c.BuildRustflags, want) {
		t.Errorf("build.rustflags %q, want %q", c.BuildRustflags, want)
	}
	none := func(string) (string, bool) { return "", false }
	for _, tc := range []struct {
		target string
		env    map[string]string
		want   []string
	}{
		{"x86_64-unknown-linux-gnu", nil, []string{"-Ctriple", "-Cunix"}},
		{"wasm32-unknown-unknown", nil, []string{"-Chome", "--cfg", "parent", "--cfg", "ws", "-Cenv"}},
		{"x86_64-unknown-linux-gnu", map[string]string{"RUSTFLAGS": " -Ca  -Cb "}, []string{"-Ca", "-Cb"}},
		{"x86_64-unknown-linux-gnu", map[string]string{"RUSTFLAGS": "-Cx", "CARGO_ENCODED_RUSTFLAGS": "-C\x1fa b"}, []string{"-C", "a b"}},
		{"x86_64-unknown-linux-gnu", map[string]string{"CARGO_ENCODED_RUSTFLAGS": ""}, []string{}},
	} {
		lookup := none
		if tc.env != nil {
			lookup = func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }
		}
		cfg := linuxCfg
		if tc.target != "x86_64-unknown-linux-gnu" {
			cfg = []string{"target_os=\"unknown\""}
		}
		got, err := c.Rustflags(tc.target, cfg, lookup)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s %v: %q, %v; want %q", tc.target, tc.env, got, err, tc.want)
		}
	}
	for target, want := range map[string]string{"x86_64-unknown-linux-gnu": filepath.Join(ws, "tools/cc"), "aarch64-unknown-linux-gnu": "aarch64-cc", "wasm32-unknown-unknown": "wasm-ld"} {
		if got, err := c.Linker(target, linuxCfg); err != nil || got != want {
			t.Errorf("linker for %s: %q, %v; want %q", target, got, err, want)
		}
	}
	env := c.EnvFor(func(k string) (string, bool) { return "user", k == "A" || k == "F" })
	want := map[string]string{"B": "home", "F": "f", "R": filepath.Join(ws, "data/x")}
	if !reflect.DeepEqual(env, want) {
		t.Errorf("env %v, want %v", env, want)
	}
}

func TestLoadErrors(t *testing.T) {
	ws := t.TempDir()
	write(t, filepath.Join(ws, ".cargo", "config.toml"), "[build]\nrustflags = [1]\n")
	if _, err := Load(ws, func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "build.rustflags") {
		t.Errorf("error %v does not name build.rustflags", err)
	}
	write(t, filepath.Join(ws, ".cargo", "config.toml"), "[env]\nX = { value = \"v\", forse = true }\n")
	if _, err := Load(ws, func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "env.X") {
		t.Errorf("error %v does not name env.X", err)
	}
}

// A registry's source name: the [source] table naming it, crates-io for one
// nothing names, none for one only [registries] declares.
func TestSourceName(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, ".cargo", "config.toml"), `
[source.crates-io]
replace-with = "mirror"
[source.mirror]
registry = "sparse+http://127.0.0.1:1/index/"
[source.corp]
registry = "https://git.example/index"
[registries.alt]
index = "sparse+http://127.0.0.1:2/alt/"
`)
	c, err := Load(root, func(k string) string { return map[string]string{"CARGO_HOME": filepath.Join(root, "nohome")}[k] })
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ kind, url, want string }{
		{"registry", "https://default.example/index", CratesIO},
		{"sparse", "http://127.0.0.1:1/index/", "mirror"},
		{"registry", "https://git.example/index", "corp"},
		{"sparse", "http://127.0.0.1:2/alt/", ""},
	} {
		if got := c.SourceName(tc.kind, tc.url); got != tc.want {
			t.Errorf("%s+%s: %q, want %q", tc.kind, tc.url, got, tc.want)
		}
	}
}
