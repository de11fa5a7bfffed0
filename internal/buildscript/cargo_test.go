package buildscript

import (
	"bytes"
	"fmt"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testtool"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// needTool finds a program; without it the test is skipped, unless CI=true.
func needTool(t *testing.T, name string) string {
	t.Helper()
	return testtool.Require(t, name)[0]
}

// cargoEnv is the environment without settings that change Cargo's command lines.
func cargoEnv(targetDir string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if (strings.HasPrefix(k, "CARGO_") && k != "CARGO_HOME") || strings.HasPrefix(k, "RUSTC") ||
			k == "RUSTFLAGS" || k == "RUSTDOCFLAGS" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "CARGO_TARGET_DIR="+targetDir, "CARGO_TERM_COLOR=never")
}

// writeFiles creates files under dir from a map of relative path to content.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// cargoBuild runs `cargo build -vv` in dir and returns its stderr and whether it
// succeeded.
func cargoBuild(t *testing.T, cargo, dir string, args ...string) (string, bool) {
	t.Helper()
	cmd := exec.Command(cargo, append([]string{"build", "-vv", "--offline"}, args...)...)
	cmd.Dir = dir
	cmd.Env = cargoEnv(filepath.Join(dir, "target"))
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	err := cmd.Run()
	if _, isExit := err.(*exec.ExitError); err != nil && !isExit {
		t.Fatalf("running cargo: %v", err)
	}
	return stderr.String(), err == nil
}

// printer is a build.rs that writes out verbatim to stdout, with "{OUT}" replaced
// by OUT_DIR; it creates OUT_DIR/l2.
func printer(out string) string {
	var lit strings.Builder
	for _, b := range []byte(out) {
		fmt.Fprintf(&lit, "\\x%02x", b)
	}
	return `use std::io::Write;
fn main() {
    let out = std::env::var("OUT_DIR").unwrap();
    std::fs::create_dir_all(format!("{}/l2", out)).unwrap();
    let text: &[u8] = b"` + lit.String() + `";
    let (mut buf, mut i) = (Vec::new(), 0);
    while i < text.len() {
        if text[i..].starts_with(b"{OUT}") {
            buf.extend_from_slice(out.as_bytes());
            i += 5;
        } else {
            buf.push(text[i]);
            i += 1;
        }
    }
    std::io::stdout().write_all(&buf).unwrap();
}
`
}

// command is one `Running` line of `cargo build -vv`: environment and argv.
type command struct {
	env  map[string]string
	argv []string
}

// runningCommands parses the "Running `...`" lines of `cargo build -vv`; Cargo
// quotes words with shell_escape: in single quotes, a quote written as '\”.
func runningCommands(stderr string) []command {
	var cmds []command
	for _, line := range strings.Split(stderr, "\n") {
		line = strings.TrimSpace(line)
		rest, ok := strings.CutPrefix(line, "Running `")
		if !ok || !strings.HasSuffix(rest, "`") {
			continue
		}
		words := shellWords(strings.TrimSuffix(rest, "`"))
		c := command{env: map[string]string{}}
		for i, w := range words {
			k, v, ok := strings.Cut(w, "=")
			if !ok || k == "" || strings.Trim(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") != "" {
				c.argv = words[i:]
				break
			}
			c.env[k] = v
		}
		cmds = append(cmds, c)
	}
	return cmds
}

func shellWords(s string) []string {
	var words []string
	var cur strings.Builder
	inWord, quoted := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted && c == '\'':
			quoted = false
		case quoted:
			cur.WriteByte(c)
		case c == '\'':
			quoted, inWord = true, true
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			inWord = true
		case c == ' ':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

func argValue(argv []string, flag string) (string, bool) {
	if i := slices.Index(argv, flag); i >= 0 && i+1 < len(argv) {
		return argv[i+1], true
	}
	return "", false
}

// TestCargoRejects compares Parse's verdict with Cargo's on single lines.
func TestCargoRejects(t *testing.T) {
	cargo := needTool(t, "cargo")
	for _, tc := range []struct {
		rustVersion, out string
		ok               bool
	}{
		{"", "cargo::error=x\n", false},
		{"", "  cargo::error=x\ncargo::rustc-cfg=c\n", true},
		{"", "  cargo::error=x\ncargo::frob=1\n", false},
		{"", "cargo::error=\xffbad\n", false},
		{"", "cargo::frob=1\xff\n", true},
		{"1.76.9", "cargo::rustc-cfg=x\n", false},
		{"1.76", "cargo:rustc-cfg=x\n", true},
		{"1.77", "cargo::rustc-cfg=x\n", true},
		{"", "cargo:foo\n", false},
		{"", "cargo:foo=1\ncargo:=2\n", true},
		{"", "cargo::rustc-link-arg-bin=nobin=-x\n", false},
		{"", "cargo::rustc-link-arg-bin=p=-Wl,-O1\n", true},
		{"", "cargo::rustc-link-arg-bin=p\n", false},
		{"", "cargo::rustc-link-arg-tests=-x\n", false},
		{"", "cargo::rustc-link-arg-examples=-x\n", false},
		{"", "cargo::rustc-link-arg-cdylib=-Wl,-O1\n", true},
		{"", "cargo::rustc-env=RUSTC_BOOTSTRAP=1\n", false},
		{"", "cargo::rustc-env=NOEQ\n", false},
		{"", "cargo:rustc-flags=-O\n", false},
		{"", "cargo:rustc-flags=-l\n", false},
		{"", "cargo:rustc-flags=-l dylib=m -L/x\n", true},
		{"", "cargo::metadata=NOEQ\n", false},
		{"", "cargo::=x\n", false},
	} {
		dir := t.TempDir()
		rv := ""
		if tc.rustVersion != "" {
			rv = "rust-version = \"" + tc.rustVersion + "\"\n"
		}
		writeFiles(t, dir, map[string]string{
			"Cargo.toml":  "[package]\nname = \"p\"\nversion = \"0.1.0\"\nedition = \"2021\"\n" + rv,
			"src/lib.rs":  "",
			"src/main.rs": "fn main() {}\n",
			"build.rs":    printer(tc.out),
		})
		stderr, ok := cargoBuild(t, cargo, dir)
		if ok != tc.ok {
			t.Errorf("cargo on %q: ok=%v, want %v\n%s", tc.out, ok, tc.ok, stderr)
			continue
		}
		o, err := Parse(strings.NewReader(tc.out), Options{PackageName: "p", RustVersion: tc.rustVersion, Targets: []TargetInfo{
			{Kind: "lib", Name: "p", CrateTypes: []string{"lib"}}, {Kind: "bin", Name: "p"}, {Kind: "custom-build", Name: "build-script-build"}}})
		if parsedOK := err == nil && !o.Fail; parsedOK != ok {
			t.Errorf("Parse(%q): %+v, %v; cargo ok=%v", tc.out, o, err, ok)
		}
	}
}
