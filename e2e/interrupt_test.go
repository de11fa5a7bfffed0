package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

var interruptedRe = regexp.MustCompile(`^interrupted while building \((\d+) of 33 units done\); run the command again to continue$`)

// SIGINT or SIGTERM during `nix build` stops nix, exits 130 or 143 with one line
// saying how far the build got, and leaves the result link at the previous
// result; the next run continues: what finished is reused.
//
// No timing is assumed: app's build script sleeps for an hour when greeter's build
// script publishes `slow` metadata, and the signal comes once that unit started.
// Its compile unit has finished by then, so the next run (without `slow`) reuses it.
func TestInterruptedBuildContinues(t *testing.T) {
	requireTools(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			ws := copyWorkspace(t, "workspace")
			// A result from before: the interrupted run must leave its link alone.
			link := filepath.Join(t.TempDir(), "result")
			mustCNU(t, ws, "build", "-o", link)
			previous, err := os.Readlink(link)
			if err != nil {
				t.Fatal(err)
			}
			nonce := fmt.Sprintf("%d", time.Now().UnixNano())
			// Nonces in the programs' output, not comments: new binaries and outputs, so
			// no unit resolves to an earlier run's result.
			edit(t, filepath.Join(ws, "app/build.rs"), "fn main() {", "fn main() {\n    println!(\"cargo::rustc-env=APP_NONCE="+nonce+"\");"+`
    if std::env::var("DEP_GREETER_SLOW").is_ok() {
        std::thread::sleep(std::time::Duration::from_secs(3600));
    }`)
			edit(t, filepath.Join(ws, "greeter/build.rs"), "fn main() {", "fn main() {\n    println!(\"cargo::metadata=nonce="+nonce+"\");\n    println!(\"cargo::metadata=slow=1\");")
			// The nonce in the binary too, so the result is a new path (else, content-addressed,
			// the finished run's result could be the previous one).
			edit(t, filepath.Join(ws, "app/src/main.rs"), "fn main() {", "fn main() {\n    std::hint::black_box(env!(\"APP_NONCE\"));")

			stderr, code, children := buildUntil(t, ws, "Compiling app v1.0.0 (build script run)", sig, "-o", link)
			if want := 128 + int(sig); code != want {
				t.Fatalf("exit %d, want %d\n%s", code, want, stderr)
			}
			for _, pid := range children {
				if alive(pid) {
					t.Errorf("child process %d outlived cargo-nix-unit", pid)
				}
			}
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			last := lines[len(lines)-1]
			m := interruptedRe.FindStringSubmatch(last)
			if m == nil {
				t.Fatalf("last line %q is not the interruption notice\n%s", last, stderr)
			}
			t.Log(last)
			// Units without CA inputs were never expected, so some are done; the
			// sleeping build script is not.
			if done, _ := strconv.Atoi(m[1]); done < 1 || done > 32 {
				t.Errorf("%d units done, want 1 to 32\n%s", done, stderr)
			}
			if n := strings.Count(stderr, "interrupted"); n != 1 {
				t.Errorf("%d lines mention the interruption, want one\n%s", n, stderr)
			}
			if now, err := os.Readlink(link); err != nil || now != previous {
				t.Errorf("the interrupted run touched the result link: %q, %v; was %q", now, err, previous)
			}

			edit(t, filepath.Join(ws, "greeter/build.rs"), "    println!(\"cargo::metadata=slow=1\");", "")
			r := mustCNU(t, ws, "build", "-o", link)
			if now, _ := os.Readlink(link); now == previous {
				t.Errorf("the finished run left the link at the previous result %s", previous)
			}
			got := compiled(r.stderr)
			for _, u := range got {
				if u == "app v1.0.0 (build script)" {
					t.Errorf("app's build script was compiled again, though the interrupted run finished it\n%s", r.stderr)
				}
			}
			if !strings.Contains(strings.Join(got, "|"), "app v1.0.0 (build script run)") {
				t.Errorf("app's build script did not run again\n%s", r.stderr)
			}
			if !regexp.MustCompile(`33 units: \d+ built, [1-9]\d* cached`).MatchString(r.stderr) {
				t.Errorf("the next run reused nothing\n%s", r.stderr)
			}
		})
	}
}

// buildUntil starts `cargo nix-unit build ARGS`, sends sig once a stderr line
// contains marker, and returns all of stderr, the exit status and the tool's
// child processes at the time of the signal.
func buildUntil(t *testing.T, ws, marker string, sig syscall.Signal, args ...string) (string, int, []int) {
	t.Helper()
	var children []int
	sent := false
	r := watch(t, ws, nil, func(cmd *exec.Cmd, line string) {
		if !sent && strings.Contains(line, marker) {
			children = childrenOf(cmd.Process.Pid)
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			sent = true
		}
	}, append([]string{"build"}, args...)...)
	if !sent {
		t.Fatalf("the build ended (exit %d) before printing %q\n%s", r.code, marker, r.stderr)
	}
	return r.stderr, r.code, children
}

// childrenOf lists the direct children of pid (Linux /proc).
func childrenOf(pid int) []int {
	var out []int
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	for _, f := range tasks {
		b, _ := os.ReadFile(f)
		for _, s := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(s); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

// alive reports whether pid is a running (not zombie) process.
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}

// SIGINT while derivations are being registered (a nix wrapper blocks on the
// second `nix derivation add`): exit 130, one line naming the stage, and the next
// run registers the rest and builds.
func TestInterruptedRegistration(t *testing.T) {
	requireTools(t)
	ws := copyWorkspace(t, "workspace")
	nonceEdit(t, ws)
	dir := t.TempDir()
	wrapNix(t, dir, fmt.Sprintf(`case " $* " in
*" derivation add "*)
  n=$(cat %[1]s/count 2>/dev/null || echo 0); n=$((n+1)); echo $n > %[1]s/count
  if [ $n = 2 ]; then touch %[1]s/blocked; exec sleep 3600; fi;;
esac`, dir))
	cmd := exec.Command(filepath.Join(bins, "cargo-nix-unit"), "nix-unit", "build", "--no-link",
		"--content-addressed=on", "--store-client=cli", "--nix", filepath.Join(dir, "nix"))
	cmd.Dir = ws
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for {
		if _, err := os.Stat(filepath.Join(dir, "blocked")); err == nil {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the build ended (%v) before registration blocked:\n%s", err, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	<-done
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Errorf("exit %d, want 130\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "interrupted while registering derivations; run the command again to continue") {
		t.Errorf("no line naming the interrupted stage:\n%s", stderr.String())
	}
	r := mustCNU(t, ws, "build", "--no-link", "--content-addressed=on")
	if !strings.Contains(r.stderr, "Compiling greeter v0.2.1 (lib)") {
		t.Errorf("the next run did not build the edited lib:\n%s", r.stderr)
	}
}
