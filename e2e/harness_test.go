package e2e

import (
	"bufio"
	"bytes"
	"fmt"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testtool"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// bins holds cargo-nix-unit and its builder, built once for all tests.
var bins string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "cnu-e2e-bin-")
	if err != nil {
		panic(err)
	}
	bins = dir
	root := repoRoot()
	for _, b := range []struct {
		pkg, out string
		env      []string
		flags    []string
	}{
		{"./cmd/cargo-nix-unit-builder", "cargo-nix-unit-builder", []string{"CGO_ENABLED=0"}, []string{"-trimpath", "-buildvcs=false", "-ldflags=-buildid="}},
		{".", "cargo-nix-unit", nil, nil},
	} {
		args := append([]string{"build", "-o", filepath.Join(dir, b.out)}, b.flags...)
		cmd := exec.Command("go", append(args, b.pkg)...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), b.env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "building %s: %v\n%s", b.pkg, err, out)
			os.Exit(1)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// requireTools skips when nix or cargo is missing, except in CI, where it fails.
func requireTools(t *testing.T) {
	t.Helper()
	testtool.Require(t, "nix", "cargo", "rustc")
}

// copyWorkspace copies examples/<name> into a fresh directory (so edits and
// results stay out of the repository) and returns the copy's path.
func copyWorkspace(t *testing.T, name string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), name)
	cmd := exec.Command("cp", "-r", filepath.Join(repoRoot(), "examples", name), dst)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("copying workspace: %v\n%s", err, out)
	}
	os.RemoveAll(filepath.Join(dst, "target"))
	os.Remove(filepath.Join(dst, "result"))
	return dst
}

type result struct {
	stdout, stderr string
	code           int
}

// run runs a program in dir and returns its output and exit code.
func run(t *testing.T, dir string, env []string, prog string, args ...string) result {
	t.Helper()
	cmd := exec.Command(prog, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running %s: %v", prog, err)
	}
	return result{stdout.String(), stderr.String(), code}
}

// cnu runs cargo-nix-unit as Cargo would (`cargo-nix-unit nix-unit ARGS`).
func cnu(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return cnuEnv(t, dir, nil, args...)
}

func cnuEnv(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	return run(t, dir, env, filepath.Join(bins, "cargo-nix-unit"), append([]string{"nix-unit"}, args...)...)
}

func mustCNU(t *testing.T, dir string, args ...string) result {
	t.Helper()
	r := cnu(t, dir, args...)
	if r.code != 0 {
		t.Fatalf("cargo nix-unit %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// cargoRun runs the workspace's binary with `cargo run` in a private target dir.
func cargoRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	r := run(t, dir, []string{"CARGO_TARGET_DIR=" + filepath.Join(t.TempDir(), "target")}, "cargo", append([]string{"run", "-q"}, args...)...)
	if r.code != 0 {
		t.Fatalf("cargo run %s: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}

// watch runs cargo-nix-unit as cnuEnv does, handing each stderr line to
// onLine as it comes (onLine sees the running command, to signal it or act
// while the build goes on), and returns when the tool has exited.
func watch(t *testing.T, dir string, env []string, onLine func(cmd *exec.Cmd, line string), args ...string) result {
	t.Helper()
	cmd := exec.Command(filepath.Join(bins, "cargo-nix-unit"), append([]string{"nix-unit"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	sc := bufio.NewScanner(pipe)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		stderr.WriteString(sc.Text() + "\n")
		onLine(cmd, sc.Text())
	}
	cmd.Wait()
	return result{stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()}
}

// inRoot is the file a store path p names in the chroot store at root: the
// result's executables are links to /nix/store/…, which on the host lie
// below root.
func inRoot(t *testing.T, root, p string) string {
	t.Helper()
	path := filepath.Join(root, p)
	for range 40 {
		target, err := os.Readlink(path)
		if err != nil {
			return path
		}
		if filepath.IsAbs(target) {
			path = filepath.Join(root, target)
		} else {
			path = filepath.Join(filepath.Dir(path), target)
		}
	}
	t.Fatalf("%s: too many links", p)
	return ""
}
