package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A second Ctrl-C ends the tool at once, even while `nix build` has not
// stopped after the first. The `nix build` here is a wrapper that traps the
// SIGINT the tool sends it on the first Ctrl-C and keeps running: without the
// second Ctrl-C the tool would wait for it (up to 30 s, then kill it and exit
// 130). The test checks that the tool died of SIGINT while that `nix build`
// was still running; no time is measured.
//
// Mutation check: without `signal.Stop(sigs)` in main.go the second SIGINT is
// swallowed, the tool exits 130 after killing the wrapper, and this fails.
func TestSecondInterruptEndsAtOnce(t *testing.T) {
	requireTools(t)
	ws := copyWorkspace(t, "workspace")
	dir := t.TempDir()
	wrapNix(t, dir, fmt.Sprintf(`case " $* " in
*" internal-json "*)
  echo $$ > %[1]s/wrapper.pid
  trap 'touch %[1]s/got-int' INT
  sleep 3600 & s=$!
  echo $s > %[1]s/sleep.pid
  touch %[1]s/building
  wait $s
  wait $s
  exit 1;;
esac`, dir))
	// The wrapper and its sleep outlive the tool on purpose: end them here.
	t.Cleanup(func() {
		for _, f := range []string{"wrapper.pid", "sleep.pid"} {
			if b, err := os.ReadFile(filepath.Join(dir, f)); err == nil {
				if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
					syscall.Kill(pid, syscall.SIGKILL)
				}
			}
		}
	})
	stderr, err := os.Create(filepath.Join(dir, "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer stderr.Close()
	cmd := exec.Command(filepath.Join(bins, "cargo-nix-unit"), "nix-unit", "build", "--no-link", "--nix", filepath.Join(dir, "nix"))
	cmd.Dir = ws
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	output := func() string { b, _ := os.ReadFile(stderr.Name()); return string(b) }
	// waitFor returns once file exists; the tool must still be running.
	waitFor := func(file string) {
		for {
			if _, err := os.Stat(filepath.Join(dir, file)); err == nil {
				return
			}
			select {
			case err := <-done:
				t.Fatalf("the tool ended (%v) before %s appeared:\n%s", err, file, output())
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
	waitFor("building")
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	// The wrapper got the tool's SIGINT: the first Ctrl-C was handled.
	waitFor("got-int")
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	<-done
	b, err := os.ReadFile(filepath.Join(dir, "wrapper.pid"))
	if err != nil {
		t.Fatal(err)
	}
	wrapper, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	if !alive(wrapper) {
		t.Errorf("nix build (the wrapper, pid %d) had ended before the tool did: the tool waited for it", wrapper)
	}
	st := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !st.Signaled() || st.Signal() != syscall.SIGINT {
		t.Errorf("the tool ended with %v, want death by SIGINT\n%s", cmd.ProcessState, output())
	}
	if strings.Contains(output(), "interrupted while") {
		t.Errorf("the tool finished the orderly shutdown of the first Ctrl-C:\n%s", output())
	}
}
