package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Native inputs are declared, reach the build, and show in the derivation;
// what is not declared stays out, and a wrong declaration is one clear error.
func TestNativeInputs(t *testing.T) {
	requireTools(t)
	// A host directory and a store path with a program, both outside the workspace.
	host := t.TempDir()
	os.WriteFile(filepath.Join(host, "data.txt"), []byte("from the host\n"), 0o644)
	tool := filepath.Join(t.TempDir(), fmt.Sprintf("native-tool-%d", os.Getpid()))
	os.MkdirAll(filepath.Join(tool, "bin"), 0o755)
	os.WriteFile(filepath.Join(tool, "bin", "native-hello"), []byte("#!/bin/sh\necho hello from the store\n"), 0o755)
	add := run(t, tool, nil, "nix", "--extra-experimental-features", "nix-command", "store", "add-path", tool)
	if add.code != 0 {
		t.Fatalf("nix store add-path: %s", add.stderr)
	}
	storeTool := strings.TrimSpace(add.stdout)

	write := func(ws, rel, body string) {
		p := filepath.Join(ws, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	workspace := func(table string) string {
		ws := filepath.Join(t.TempDir(), "nativews")
		write(ws, "Cargo.toml", "[package]\nname = \"nativews\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n"+table)
		write(ws, "build.rs", `use std::{env, fs, process::Command};
fn main() {
    let data = fs::read_to_string(env::var("DATA_FILE").unwrap()).unwrap();
    println!("cargo:rustc-env=DATA={}", data.trim());
    let out = Command::new("native-hello").output().expect("native-hello on PATH");
    println!("cargo:rustc-env=HELLO={}", String::from_utf8(out.stdout).unwrap().trim());
}
`)
		write(ws, "src/main.rs", `fn main() {
    println!("{} / {} / {}", env!("DATA"), env!("HELLO"), env!("NATIVE_GREETING"));
}
`)
		return ws
	}
	declared := fmt.Sprintf("[package.metadata.nix-unit]\nenv = { DATA_FILE = %q, NATIVE_GREETING = \"declared\" }\nstore = [%q]\nsandbox-paths = [%q]\n",
		filepath.Join(host, "data.txt"), storeTool, host)

	ws := workspace(declared)
	r := mustCNU(t, ws, "build", "--no-link", "--print-out-paths")
	got := run(t, ws, nil, filepath.Join(strings.TrimSpace(r.stdout), "bin", "nativews")).stdout
	if want := "from the host / hello from the store / declared\n"; got != want {
		t.Errorf("binary prints %q, want %q", got, want)
	}
	dry := mustCNU(t, ws, "build", "--dry-run")
	var runDrv string
	for _, d := range strings.Fields(dry.stdout) {
		if strings.HasSuffix(d, "-build-script-run.drv") {
			runDrv = d
		}
	}
	show := run(t, ws, nil, "nix", "--extra-experimental-features", "nix-command", "derivation", "show", runDrv)
	for _, want := range []string{"NATIVE_GREETING", host, storeTool} {
		if !strings.Contains(show.stdout, want) {
			t.Errorf("the build-script run's derivation does not show %q", want)
		}
	}

	// The host directory, not declared, stays invisible.
	ws = workspace(fmt.Sprintf("[package.metadata.nix-unit]\nenv = { DATA_FILE = %q, NATIVE_GREETING = \"x\" }\nstore = [%q]\n", filepath.Join(host, "data.txt"), storeTool))
	r = cnu(t, ws, "build", "--no-link")
	if r.code == 0 || !strings.Contains(r.stderr, "could not build nativews v0.1.0 (build script run)") {
		t.Errorf("an undeclared host path was readable: exit %d\n%s", r.code, r.stderr)
	}

	// A misspelt key in nix-unit.toml is named with its file.
	ws = workspace("")
	write(ws, "nix-unit.toml", "[package.nativews]\nsandbox-path = [\"/tmp\"]\n")
	r = cnu(t, ws, "build", "--no-link")
	if r.code != 1 || !strings.Contains(r.stderr, "nix-unit.toml") || !strings.Contains(r.stderr, `unknown key "sandbox-path"`) {
		t.Errorf("misspelt key: exit %d\n%s", r.code, r.stderr)
	}
	// And in Cargo.toml.
	ws = workspace("[package.metadata.nix-unit]\nenvs = { A = \"b\" }\n")
	r = cnu(t, ws, "build", "--no-link")
	if r.code != 1 || !strings.Contains(r.stderr, "[package.metadata.nix-unit]") || !strings.Contains(r.stderr, "envs") {
		t.Errorf("misspelt key in Cargo.toml: exit %d\n%s", r.code, r.stderr)
	}
}
