package e2e

import (
	"bytes"
	"fmt"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testtool"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Each fault ends in one error naming its cause, a non-zero exit, and nothing
// that confuses the next run once the fault is gone.

// oneError fails unless stderr is a single line starting "error: " holding want.
func oneError(t *testing.T, r result, want string) {
	t.Helper()
	msg := strings.TrimSpace(r.stderr)
	if r.code == 0 || strings.Count(msg, "\n") != 0 || !strings.HasPrefix(msg, "error: ") || !strings.Contains(msg, want) {
		t.Errorf("want exit != 0 and one line `error: …%s…`; exit %d, stderr:\n%s", want, r.code, r.stderr)
	}
}

// privateDaemon starts nix-daemon on the real store, listening on sock, and
// returns it once the socket exists; the test kills it at the end.
func privateDaemon(t *testing.T, sock string) *exec.Cmd {
	t.Helper()
	daemon, err := exec.LookPath("nix-daemon")
	if err != nil {
		t.Fatalf("nix-daemon: %v", err)
	}
	os.Remove(sock)
	cmd := exec.Command(daemon)
	cmd.Env = append(os.Environ(), "NIX_CONFIG=experimental-features = nix-command ca-derivations", "NIX_DAEMON_SOCKET_PATH="+sock)
	// Its own process group: the daemon forks a worker per connection, and
	// killing the group ends those too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { killGroup(cmd) })
	for i := 0; ; i++ {
		if _, err := os.Stat(sock); err == nil {
			return cmd
		}
		if i == 600 {
			t.Fatal("nix-daemon did not create its socket")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// killGroup kills a daemon started by privateDaemon and its workers (which
// may have left its process group), children first as /proc lists them.
func killGroup(cmd *exec.Cmd) {
	if cmd.ProcessState != nil {
		return // killed and reaped already: its pid may be another's now
	}
	kids := children(cmd.Process.Pid)
	for _, pid := range kids {
		syscall.Kill(pid, syscall.SIGKILL)
	}
	// The daemon reaps its workers; killed after it, a worker would stay a
	// zombie of init. A bounded wait: a worker that lingers is only a zombie.
	for _, pid := range kids {
		for i := 0; i < 200; i++ {
			if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err != nil {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	cmd.Wait()
}

// children lists the processes whose parent is pid, read from /proc.
func children(pid int) []int {
	var out []int
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, st := range stats {
		b, err := os.ReadFile(st)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so cut at the last ')'.
		f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
		if len(f) > 1 && f[1] == strconv.Itoa(pid) {
			n, _ := strconv.Atoi(filepath.Base(filepath.Dir(st)))
			out = append(out, n)
		}
	}
	return out
}

// With NIX_REMOTE naming a daemon that is not there, build and doctor say so
// once, with the fix; the `nix` CLI fallback is not tried (it would fail the same way).
func TestDaemonUnreachable(t *testing.T) {
	requireTools(t)
	ws := copyWorkspace(t, "workspace")
	dir := t.TempDir()
	refused := filepath.Join(dir, "stale-socket") // a socket file nobody listens on
	if err := os.WriteFile(refused, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, want string
		env        []string
	}{
		{"daemon", "cannot reach the Nix daemon at /nonexistent/socket (no such file or directory)",
			[]string{"NIX_REMOTE=daemon", "NIX_DAEMON_SOCKET_PATH=/nonexistent/socket"}},
		{"unix", "cannot reach the Nix daemon at " + refused + " (connection refused)",
			[]string{"NIX_REMOTE=unix://" + refused}},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, client := range []string{"auto", "daemon", "cli"} {
				r := cnuEnv(t, ws, c.env, "build", "--store-client="+client)
				oneError(t, r, c.want+": start the Nix daemon (nix-daemon, or systemctl start nix-daemon), or check NIX_REMOTE")
			}
			r := cnuEnv(t, ws, c.env, "doctor")
			if r.code == 0 || !strings.Contains(r.stdout, "FAIL  store           "+c.want) ||
				!strings.Contains(r.stdout, "fix: start the Nix daemon") || strings.Contains(r.stdout, "ca-derivations") {
				t.Errorf("doctor: want one FAIL for the store with its fix; exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
		})
	}
	mustCNU(t, ws, "build", "-o", filepath.Join(dir, "result"))
}

// A read-only store with derivations new to it: one error saying the store is
// read-only. The next run, writable, builds. Read-only as Nix's
// `local?read-only=true` says, or because /nix/var/nix (the database and its
// locks) is a read-only mount, in a private mount namespace.
func TestStoreReadOnly(t *testing.T) {
	requireTools(t)
	ws := copyWorkspace(t, "workspace")
	cold := coldBuilder(t)
	t.Run("read-only=true", func(t *testing.T) {
		env := append([]string{"NIX_CONFIG=extra-experimental-features = read-only-local-store", "NIX_REMOTE=local?read-only=true"}, cold...)
		for _, client := range []string{"auto", "daemon", "cli"} {
			r := cnuEnv(t, ws, env, "build", "--store-client="+client)
			oneError(t, r, "the Nix store is read-only (NIX_REMOTE=local?read-only=true)")
		}
	})
	t.Run("read-only mount", func(t *testing.T) {
		if r := run(t, ws, nil, "unshare", "-m", "true"); r.code != 0 {
			testtool.Unavailable(t, "cannot make a mount namespace here (CI runs as root): "+r.stderr)
		}
		// The store itself, not a daemon socket, which would bypass the mount.
		env := append([]string{"NIX_REMOTE=local"}, cold...)
		script := `mount --bind /nix/var/nix /nix/var/nix && mount -o remount,bind,ro /nix/var/nix && exec "$@"`
		for _, client := range []string{"auto", "daemon", "cli"} {
			r := run(t, ws, env, "unshare", "-m", "sh", "-c", script, "sh",
				filepath.Join(bins, "cargo-nix-unit"), "nix-unit", "build", "--store-client="+client)
			oneError(t, r, "the Nix store is read-only (NIX_REMOTE=local)")
		}
	})
	if r := cnuEnv(t, ws, cold, "build", "-o", filepath.Join(t.TempDir(), "result")); r.code != 0 {
		t.Fatalf("build with a writable store: exit %d\n%s", r.code, r.stderr)
	}
}

// The daemon killed while a unit compiles, and started again: the build fails
// with one reason, and the next run builds the rest, reusing finished units.
// With either store client: the daemon client holds a connection of its own
// that dies with the daemon; the CLI client holds none.
func TestDaemonRestartedMidBuild(t *testing.T) {
	requireTools(t)
	for _, client := range []string{"daemon", "cli"} {
		t.Run(client, func(t *testing.T) { daemonRestartedMidBuild(t, client) })
	}
}

func daemonRestartedMidBuild(t *testing.T, client string) {
	ws := copyWorkspace(t, "workspace")
	// New units in a chain: greeter's build script, its run, greeter's lib,
	// app's build-script run and app's bin.
	edit(t, filepath.Join(ws, "greeter/build.rs"), "fn main() {", fmt.Sprintf("fn main() {\n    println!(\"cargo::metadata=nonce=%d\");", time.Now().UnixNano()))
	sock := filepath.Join(t.TempDir(), "socket")
	d := privateDaemon(t, sock)
	env := []string{"NIX_REMOTE=daemon", "NIX_DAEMON_SOCKET_PATH=" + sock}
	args := []string{"build", "--store-client=" + client, "-o", filepath.Join(t.TempDir(), "result")}

	// One job at a time: when the second unit starts, the first has finished.
	var compiling []string
	r := watch(t, ws, env, func(_ *exec.Cmd, line string) {
		if f := strings.Fields(line); len(f) > 1 && f[0] == "Compiling" {
			if compiling = append(compiling, strings.Join(f[1:], " ")); len(compiling) == 2 {
				killGroup(d)
				privateDaemon(t, sock)
			}
		}
	}, append(args, "-j", "1")...)
	if len(compiling) < 2 {
		t.Fatalf("the build ended before its second unit started:\n%s", r.stderr)
	}
	msg := strings.TrimSpace(r.stderr)
	last := msg[strings.LastIndex(msg, "\n")+1:]
	if r.code == 0 || !strings.HasPrefix(last, "error: ") {
		t.Fatalf("want a failed build ending in one error line; exit %d, stderr:\n%s", r.code, msg)
	}
	t.Logf("the broken build ends: %s", last)
	if !strings.HasPrefix(last, "error: lost the connection to the Nix daemon while building (") ||
		!strings.Contains(last, "units done): Nix daemon disconnected unexpectedly") {
		t.Errorf("last line does not name the lost daemon: %q", last)
	}
	for _, l := range strings.Split(msg, "\n")[:strings.Count(msg, "\n")] {
		if f := strings.Fields(l); len(f) == 0 || f[0] != "Compiling" {
			t.Errorf("more than one error: %q before the last line", l)
		}
	}

	r = cnuEnv(t, ws, env, args...)
	if r.code != 0 {
		t.Fatalf("the build after the restart: exit %d\n%s", r.code, r.stderr)
	}
	if strings.Contains(r.stderr, "Compiling "+compiling[0]+"\n") {
		t.Errorf("%s, finished before the daemon died, was compiled again:\n%s", compiling[0], r.stderr)
	}
}

// smallDisk mounts a 64 KiB tmpfs on dir and fills it; the test unmounts it.
func smallDisk(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir).CombinedOutput(); err != nil {
		testtool.Unavailable(t, fmt.Sprintf("cannot mount a small tmpfs here (CI runs as root): %v %s", err, out))
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	exec.Command("dd", "if=/dev/zero", "of="+filepath.Join(dir, "filler"), "bs=4k").Run() // fails once full
}

// A full disk under the tool's cache or its target/nix-unit, or a cache
// directory that cannot exist: the build succeeds with one warning, leaves no
// temporary or torn file, and the next run, with the fault gone, records its
// stamp and is a no-op after.
func TestCacheFaults(t *testing.T) {
	requireTools(t)
	for _, c := range []struct {
		name  string
		fault func(t *testing.T, ws, cache string) (dir string, undo func())
		warn  string
	}{
		{"cache disk full", func(t *testing.T, ws, cache string) (string, func()) {
			smallDisk(t, cache)
			return cache, func() { os.Remove(filepath.Join(cache, "filler")) }
		}, "cannot record this build for the next no-op check: writing " + "CACHE/cargo-nix-unit/noop/"},
		{"cache unwritable", func(t *testing.T, ws, cache string) (string, func()) {
			if err := os.WriteFile(cache, nil, 0o644); err != nil { // a file where a directory should be
				t.Fatal(err)
			}
			return "", func() { os.Remove(cache) }
		}, "cannot record this build for the next no-op check: mkdir CACHE: not a directory"},
		{"target disk full", func(t *testing.T, ws, cache string) (string, func()) {
			dir := filepath.Join(ws, "target", "nix-unit")
			smallDisk(t, dir)
			return dir, func() { os.Remove(filepath.Join(dir, "filler")) }
		}, "recording the build in WS/target/nix-unit/last-build.json: no space left on device"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ws := copyWorkspace(t, "workspace")
			cache := filepath.Join(t.TempDir(), "cache")
			env := []string{"XDG_CACHE_HOME=" + cache}
			args := []string{"build", "-v", "--color=never", "-o", filepath.Join(t.TempDir(), "result")}
			// A first build in another cache: a fresh copy's first build creates
			// target/, which its no-op fingerprint sees as a change, and records no stamp.
			cnuEnv(t, ws, []string{"XDG_CACHE_HOME=" + t.TempDir()}, args...)
			dir, undo := c.fault(t, ws, cache)

			r := cnuEnv(t, ws, env, args...)
			if r.code != 0 {
				t.Fatalf("build: exit %d\n%s", r.code, r.stderr)
			}
			warn := strings.NewReplacer("CACHE", cache, "WS", ws).Replace(c.warn)
			if n := strings.Count(r.stderr, "warning:"); n != 1 || !strings.Contains(r.stderr, "warning: "+warn) {
				t.Errorf("want one warning %q; got %d:\n%s", warn, n, r.stderr)
			}
			if dir != "" {
				filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
					if err == nil && !fi.IsDir() && fi.Name() != "filler" {
						t.Errorf("%s was left on the full disk", p)
					}
					return nil
				})
			}

			undo()
			if r := cnuEnv(t, ws, env, args...); r.code != 0 || strings.Contains(r.stderr, "Fresh") || strings.Contains(r.stderr, "warning") {
				t.Fatalf("build after the fault: want a full check, no warning; exit %d\n%s", r.code, r.stderr)
			}
			if r := cnuEnv(t, ws, env, args...); r.code != 0 || !strings.Contains(r.stderr, "       Fresh greeter v0.2.1 (lib)") {
				t.Fatalf("third build is not a no-op: exit %d\n%s", r.code, r.stderr)
			}
			if _, err := os.Stat(filepath.Join(ws, "target", "nix-unit", "last-build.json")); err != nil {
				t.Errorf("no build record after the fault: %v", err)
			}
		})
	}
}
