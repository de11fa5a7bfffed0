package e2e

import (
	"flag"
	"fmt"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testtool"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// coldBuilder returns the environment that makes every derivation new to the
// store: a copy of the builder with a nonce appended (an ELF runs the same with
// trailing bytes, but its store path, and so every unit's, changes).
func coldBuilder(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(bins, "cargo-nix-unit-builder"))
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, fmt.Sprintf("\nnonce %d\n", time.Now().UnixNano())...)
	path := filepath.Join(t.TempDir(), "cargo-nix-unit-builder")
	if err := os.WriteFile(path, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return []string{"CARGO_NIX_UNIT_BUILDER=" + path}
}

var (
	storeHashRe = regexp.MustCompile(`/nix/store/[0-9a-z]{32}-`)
	secondsRe   = regexp.MustCompile(`(in |"elapsedSeconds": |"seconds": )[0-9.e-]+`)
	registryRe  = regexp.MustCompile(`registry\+[^#"]*#`)
	// Cargo's -C extra-filename: it follows the plan's unit hash, not the output.
	extraFileRe = regexp.MustCompile(`-[0-9a-f]{16}\.(rlib|rmeta|so|a)\b`)
)

// normalize removes what changes between runs and machines: store hashes, the
// workspace's location, times and the registry's address.
func normalize(s, ws string) string {
	s = strings.ReplaceAll(s, ws, "$WS")
	s = storeHashRe.ReplaceAllString(s, "/nix/store/HASH-")
	s = secondsRe.ReplaceAllString(s, "${1}T")
	s = extraFileRe.ReplaceAllString(s, "-HASH.$1")
	return registryRe.ReplaceAllString(s, "registry+REGISTRY#")
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./e2e -run %s -update to create it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test ./e2e -update rewrites it)\n--- got:\n%s\n--- want:\n%s", path, got, want)
	}
}

// sortCompiling puts the Compiling lines, whose order Nix's scheduling decides,
// in a stable order.
func sortCompiling(s string) string {
	lines := strings.Split(s, "\n")
	var comp []string
	var rest []string
	for _, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "Compiling ") {
			comp = append(comp, l)
		} else {
			rest = append(rest, l)
		}
	}
	sort.Strings(comp)
	return strings.Join(append(comp, rest...), "\n")
}

const unusedWarning = "let unused_thing = 3;"

// addWarning gives greeter's lib an unused variable, and a nonce so it is new.
func addWarning(t *testing.T, ws string) {
	t.Helper()
	edit(t, filepath.Join(ws, "greeter/src/lib.rs"), `    format!("Good day, {name}!")`,
		fmt.Sprintf("    // %d\n    %s\n    format!(\"Good day, {name}!\")", time.Now().UnixNano(), unusedWarning))
}

// A workspace member's warnings show like Cargo's, and again when it is cached.
func TestWarningsReplayedWhenCached(t *testing.T) {
	requireTools(t)
	ws := copyWorkspace(t, "workspace")
	addWarning(t, ws)
	const count = "warning: `greeter` (lib) generated 1 warning"
	for _, run := range []string{"first", "cached"} {
		r := mustCNU(t, ws, "build", "--no-link", "--color=never")
		if !strings.Contains(r.stderr, "warning: unused variable: `unused_thing`") || !strings.Contains(r.stderr, count) {
			t.Errorf("%s build does not show greeter's warning:\n%s", run, r.stderr)
		}
		if strings.Contains(r.stderr, "warning emitted") {
			t.Errorf("%s build shows rustc's own count, which Cargo replaces:\n%s", run, r.stderr)
		}
		if run == "cached" && !strings.Contains(r.stderr, "0 built") {
			t.Errorf("second build was not fully cached:\n%s", r.stderr)
		}
	}
	if r := mustCNU(t, ws, "build", "--no-link", "-q"); r.stderr != "" {
		t.Errorf("-q printed more than errors:\n%s", r.stderr)
	}
}

// Plain progress (not a terminal) and -v are Cargo's lines; golden-tested.
func TestPlainOutput(t *testing.T) {
	requireTools(t)
	ws := copyWorkspace(t, "workspace")
	addWarning(t, ws)
	r := cnuEnv(t, ws, coldBuilder(t), "build", "--no-link", "--content-addressed=on", "--progress=plain", "--color=never")
	if r.code != 0 {
		t.Fatalf("build failed:\n%s", r.stderr)
	}
	golden(t, "plain.stderr", sortCompiling(normalize(r.stderr, ws)))

	addWarning(t, ws)
	r = mustCNU(t, ws, "build", "--no-link", "-v", "--color=never")
	for _, want := range []string{"     Running `", "--crate-name greeter", "--edition=2021"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("-v output lacks %q:\n%s", want, r.stderr)
		}
	}
}

// --message-format json and --json print stable, Cargo-shaped JSON on stdout.
func TestMachineReadableOutput(t *testing.T) {
	requireTools(t)
	ws := copyWorkspace(t, "workspace")
	mustCNU(t, ws, "build", "--no-link", "--content-addressed=on")
	r := mustCNU(t, ws, "build", "--no-link", "--content-addressed=on", "--message-format", "json")
	golden(t, "message-format.json", normalize(r.stdout, ws))
	r = mustCNU(t, ws, "build", "--no-link", "--content-addressed=on", "--json")
	golden(t, "report.json", normalize(r.stdout, ws))
}

// On a terminal the build shows a live bar, and leaves only Cargo's lines behind.
func TestTerminalProgress(t *testing.T) {
	requireTools(t)
	testtool.Require(t, "tmux")
	ws := copyWorkspace(t, "workspace")
	session := fmt.Sprintf("cnu-%d", time.Now().UnixNano())
	script := filepath.Join(t.TempDir(), "run.sh")
	body := fmt.Sprintf("#!/bin/sh\ncd '%s'\nexport %s\n'%s' nix-unit build --no-link\necho EXIT=$?\nsleep 600\n",
		ws, coldBuilder(t)[0], filepath.Join(bins, "cargo-nix-unit"))
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("tmux", "new-session", "-d", "-s", session, "-x", "200", "-y", "60", script).CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	defer exec.Command("tmux", "kill-session", "-t", session).Run()
	sawBar := false
	var screen string
	for !strings.Contains(screen, "EXIT=") {
		out, err := exec.Command("tmux", "capture-pane", "-p", "-t", session).Output()
		if err != nil {
			t.Fatalf("tmux capture-pane: %v", err)
		}
		screen = string(out)
		if regexp.MustCompile(`Building \[[= >]+\] \d+/\d+`).MatchString(screen) {
			sawBar = true
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !sawBar {
		t.Errorf("never saw the live progress bar; last screen:\n%s", screen)
	}
	for _, want := range []string{"Compiling greeter v0.2.1 (lib)", "Finished `dev` profile", "33 units: 33 built, 0 cached", "EXIT=0"} {
		if !strings.Contains(screen, want) {
			t.Errorf("final screen lacks %q:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, "Building [") {
		t.Errorf("the bar is left on the final screen:\n%s", screen)
	}
}
