package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A workspace whose path holds spaces, quotes, a newline and non-ASCII builds and
// matches `cargo run`; a file with such a name inside a package reaches the store
// (the store checks every path the tool computed).
func TestHostileWorkspacePath(t *testing.T) {
	requireTools(t)
	ws := filepath.Join(t.TempDir(), "we ird \"q\" 'x'\nnl-ü $HOME")
	if out, err := exec.Command("cp", "-r", filepath.Join(repoRoot(), "examples", "workspace"), ws).CombinedOutput(); err != nil {
		t.Fatalf("copying workspace: %v\n%s", err, out)
	}
	os.RemoveAll(filepath.Join(ws, "target"))
	// A member directory with such a name puts it in rustc's arguments (paths there
	// are relative to the workspace), so in the ATerm: its escaping must match Nix's.
	odddir := "ma cros \"q\" 'x'\nü$HOME"
	if err := os.Rename(filepath.Join(ws, "greeter-macros"), filepath.Join(ws, odddir)); err != nil {
		t.Fatal(err)
	}
	tomlDir := strings.NewReplacer(`"`, `\"`, "\n", `\n`).Replace(odddir)
	edit(t, filepath.Join(ws, "Cargo.toml"), `"greeter-macros"`, `"`+tomlDir+`"`)
	edit(t, filepath.Join(ws, "app/Cargo.toml"), `path = "../greeter-macros"`, `path = "../`+tomlDir+`"`)
	edit(t, filepath.Join(ws, odddir, "src/lib.rs"), "use ", fmt.Sprintf("// %d\nuse ", time.Now().UnixNano()))
	// New derivations and sources, so this run registers them.
	edit(t, filepath.Join(ws, "greeter/src/lib.rs"), `"Good day, {name}!"`, fmt.Sprintf(`"Good day, {name}! %d"`, time.Now().UnixNano()))
	odd := filepath.Join(ws, "greeter", "data \"q\" 'x'\n\tü\\.txt")
	if err := os.WriteFile(odd, []byte("odd\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "result")
	r := mustCNU(t, ws, "build", "-o", link)
	for _, u := range []string{"greeter v0.2.1 (lib)", "greeter-macros v0.1.0 (proc-macro)"} {
		if !strings.Contains(r.stderr, "Compiling "+u) {
			t.Errorf("%s was not rebuilt:\n%s", u, r.stderr)
		}
	}
	got := run(t, ws, nil, filepath.Join(link, "bin", "app"))
	if want := cargoRun(t, ws); got.stdout != want {
		t.Errorf("app prints\n%s\ncargo run prints\n%s", got.stdout, want)
	}
	src := sourceOf(t, ws, "greeter-0.2.1-source")
	if b, err := os.ReadFile(filepath.Join(src, filepath.Base(odd))); err != nil || string(b) != "odd\n" {
		t.Errorf("the oddly named file is not in %s: %v", src, err)
	}
}

// sourceOf finds the store path of the named source among the derivations'
// inputs (via `build --dry-run`).
func sourceOf(t *testing.T, ws, name string) string {
	t.Helper()
	dry := mustCNU(t, ws, "build", "--dry-run")
	drvs := strings.Fields(dry.stdout)
	q := run(t, ws, nil, "nix-store", "-qR", drvs[len(drvs)-1])
	for _, p := range strings.Fields(q.stdout) {
		if strings.HasSuffix(p, "-"+name) {
			return p
		}
	}
	t.Fatalf("no %s in the closure of %s:\n%s", name, drvs[len(drvs)-1], q.stdout)
	return ""
}

// Symlinks in a package go into the store as symlinks, never followed: one to a
// host file or outside the package dangles in the store, and the file's content
// stays out. A build reading a symlink inside the package works; one reading a
// dangling one fails in the sandbox, though on the host (as Cargo builds) it
// would resolve.
//
// Mutation check: with /tmp and /etc/hostname among the toolchain's sandbox paths
// (internal/toolchain), the reads resolve in the sandbox and the build that
// must fail succeeds.
func TestSymlinkOutsidePackage(t *testing.T) {
	requireTools(t)
	ws := copyWorkspace(t, "workspace")
	secret := filepath.Join(t.TempDir(), "secret.txt")
	canary := fmt.Sprintf("canary-symlink-target-%d", time.Now().UnixNano())
	if err := os.WriteFile(secret, []byte(canary), 0o644); err != nil {
		t.Fatal(err)
	}
	links := map[string]string{
		"greeter/src/data.txt":   secret,
		"greeter/hostname":       "/etc/hostname",
		"greeter/sibling":        "../app",
		"greeter/readme-link.md": "src/lib.rs", // inside the package: works in the store
	}
	for from, to := range links {
		if err := os.Symlink(to, filepath.Join(ws, from)); err != nil {
			t.Fatal(err)
		}
	}
	mustCNU(t, ws, "build", "--no-link")
	src := sourceOf(t, ws, "greeter-0.2.1-source")
	for from, to := range links {
		p := filepath.Join(src, strings.TrimPrefix(from, "greeter/"))
		got, err := os.Readlink(p)
		if err != nil || got != to {
			t.Errorf("%s in the store: readlink = %q, %v; want a symlink to %s", p, got, err, to)
		}
	}
	q := run(t, ws, nil, "grep", "-rF", canary, src)
	if q.code != 1 {
		t.Errorf("the symlink's target reached the store (grep exit %d):\n%s%s", q.code, q.stdout, q.stderr)
	}

	// Reading through the symlinks: the one inside the package works, the
	// dangling ones fail the build.
	lib := filepath.Join(ws, "greeter/src/lib.rs")
	edit(t, lib, "pub fn ", "pub const INSIDE: &str = include_str!(\"../readme-link.md\");\n\npub fn ")
	mustCNU(t, ws, "build", "--no-link")
	edit(t, lib, "pub const INSIDE", "pub const SECRET: &str = include_str!(\"data.txt\");\npub const HOSTNAME: &str = include_str!(\"../hostname\");\npub const INSIDE")
	r := cnu(t, ws, "build", "--no-link")
	if r.code != 101 {
		t.Fatalf("a build reading dangling symlinks: exit %d, want 101\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"could not build greeter v0.2.1 (lib)", "couldn't read `greeter/src/data.txt`", "couldn't read `greeter/src/../hostname`"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, canary) {
		t.Errorf("the symlink's target was read in the build:\n%s", r.stderr)
	}
}

// A build script printing 5 MB, with a 1 MB line and invalid UTF-8, still works:
// Cargo's parser skips lines that are not UTF-8 and has no line-length limit.
func TestBuildScriptFloodsStdout(t *testing.T) {
	requireTools(t)
	ws := copyWorkspace(t, "workspace")
	edit(t, filepath.Join(ws, "app/build.rs"), "fn main() {", fmt.Sprintf(`fn main() {
    // %d
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        for i in 0..80_000 {
            out.write_all(b"noise \xff\xfe\xc3 not utf-8 ").unwrap();
            writeln!(out, "{i} ..........................").unwrap();
        }
        out.write_all(&vec![b'x'; 1 << 20]).unwrap();
        out.write_all(b"\ncargo::rustc-env=APP_FLOOD=survived\n").unwrap();
    }`, time.Now().UnixNano()))
	edit(t, filepath.Join(ws, "app/src/main.rs"), `fn main() {`, `fn main() {
    eprintln!("{}", env!("APP_FLOOD"));`)
	link := filepath.Join(t.TempDir(), "result")
	mustCNU(t, ws, "build", "-o", link)
	got := run(t, ws, nil, filepath.Join(link, "bin", "app"))
	if got.code != 0 || got.stderr != "survived\n" {
		t.Errorf("app: exit %d, stderr %q; want the flag the flooding build script set", got.code, got.stderr)
	}
	if want := cargoRun(t, ws); got.stdout != want {
		t.Errorf("app prints\n%s\ncargo run prints\n%s", got.stdout, want)
	}
}

// A malformed Cargo.lock is Cargo's to report: one clear error naming it, and
// Cargo's own exit code.
func TestMalformedCargoLock(t *testing.T) {
	requireTools(t)
	ws := copyWorkspace(t, "workspace")
	if err := os.WriteFile(filepath.Join(ws, "Cargo.lock"), []byte("version = 3\n[[package]]\nname = \n\x00garbage [[[\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := cnu(t, ws, "build", "--no-link")
	cargo := run(t, ws, []string{"CARGO_TARGET_DIR=" + filepath.Join(t.TempDir(), "target")}, "cargo", "build")
	if cargo.code == 0 || r.code != cargo.code {
		t.Errorf("exit %d, cargo build exits %d\n%s", r.code, cargo.code, r.stderr)
	}
	for _, want := range []string{"cargo could not produce the unit graph", "Cargo.lock"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "panic") {
		t.Errorf("panicked:\n%s", r.stderr)
	}
}
