package e2e

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testtool"
)

// requireSSHD returns sshd, installing Debian's openssh-server when it is
// missing (as root, as CI runs); without it the test is Unavailable.
func requireSSHD(t *testing.T) string {
	t.Helper()
	const sshd = "/usr/sbin/sshd"
	if _, err := os.Stat(sshd); err == nil {
		return sshd
	}
	if os.Geteuid() != 0 {
		testtool.Unavailable(t, "sshd is not installed, and only root installs openssh-server")
	}
	install := func() ([]byte, error) {
		cmd := exec.Command("apt-get", "install", "-y", "-qq", "--no-install-recommends", "openssh-server")
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		return cmd.CombinedOutput()
	}
	out, err := install()
	if err != nil { // stale package lists: once more after an update
		if u, uerr := exec.Command("apt-get", "update", "-qq").CombinedOutput(); uerr != nil {
			testtool.Unavailable(t, fmt.Sprintf("apt-get update: %v\n%s", uerr, u))
		}
		out, err = install()
	}
	if err != nil {
		testtool.Unavailable(t, fmt.Sprintf("installing openssh-server: %v\n%s", err, out))
	}
	return sshd
}

// loopbackBuilder is an sshd of the test's own on 127.0.0.1, whose Nix builds
// into a chroot store: a remote builder on this machine.
type loopbackBuilder struct {
	port            int
	clientKey, root string
	sshOpts         string // NIX_SSHOPTS: the port, the host key, no user config
}

// startBuilder starts sshd with its own host key, client key, configuration
// and authorized keys, all in a temp dir; the builder's Nix reads its own
// nix.conf (NIX_CONF_DIR, set by sshd), which names the host toolchain's paths
// in extra-sandbox-paths: Nix passes no settings to an ssh-ng builder.
func startBuilder(t *testing.T) *loopbackBuilder {
	t.Helper()
	sshd := requireSSHD(t)
	dir := t.TempDir()
	b := &loopbackBuilder{clientKey: filepath.Join(dir, "client"), root: filepath.Join(dir, "remote-store")}
	for _, k := range []string{"host", "client"} {
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", k, "-f", filepath.Join(dir, k)).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v\n%s", err, out)
		}
	}
	clientPub, err := os.ReadFile(b.clientKey + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	hostPub, err := os.ReadFile(filepath.Join(dir, "host.pub"))
	if err != nil {
		t.Fatal(err)
	}
	sysroot := strings.TrimSpace(run(t, dir, nil, "rustc", "--print", "sysroot").stdout)
	paths := []string{sysroot}
	for _, d := range []string{"/usr", "/lib", "/lib64", "/bin", "/etc/alternatives"} {
		if _, err := os.Lstat(d); err == nil {
			paths = append(paths, d)
		}
	}
	nixPath, err := exec.LookPath("nix-daemon")
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b.port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	files := map[string]string{
		"authorized_keys": string(clientPub),
		"known_hosts":     fmt.Sprintf("[127.0.0.1]:%d %s", b.port, hostPub),
		"nix/nix.conf": "build-users-group =\nexperimental-features = nix-command ca-derivations\nsubstituters =\n" +
			"sandbox = true\nsandbox-paths =\nextra-sandbox-paths = " + strings.Join(paths, " ") + "\n",
		"sshd_config": fmt.Sprintf(`ListenAddress 127.0.0.1
Port %d
HostKey %s/host
PidFile none
AuthorizedKeysFile %s/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
SetEnv PATH=%s:/usr/bin:/bin NIX_CONF_DIR=%s/nix
`, b.port, dir, dir, filepath.Dir(nixPath), dir),
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// sshd's privilege separation directory (the ssh service makes it at boot).
	if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(sshd, "-D", "-e", "-f", filepath.Join(dir, "sshd_config"))
	log, err := os.Create(filepath.Join(dir, "sshd.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting sshd: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		// sshd and the sessions it forked are its process group.
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
		log.Close()
	})
	for i := 0; ; i++ {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", b.port))
		if err == nil {
			c.Close()
			break
		}
		select {
		case <-exited:
			out, _ := os.ReadFile(filepath.Join(dir, "sshd.log"))
			t.Fatalf("sshd exited:\n%s", out)
		default:
		}
		if i == 600 {
			t.Fatal("sshd does not listen")
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.sshOpts = fmt.Sprintf("-p %d -F none -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=%s/known_hosts", b.port, dir)
	return b
}

// spec is the builder's line for --builders: content-addressed units need the
// ca-derivations feature.
func (b *loopbackBuilder) spec() string {
	return fmt.Sprintf("ssh-ng://root@127.0.0.1?ssh-key=%s&remote-store=local?root=%s x86_64-linux - 2 1 nix-command,ca-derivations", b.clientKey, b.root)
}

// With -j 0 and a remote builder (sshd on loopback, its Nix building into a
// chroot store), every unit of examples/workspace builds in the remote store,
// the outputs come back to the local (fresh) store, and the binary prints
// what `cargo run` prints. doctor checks the builder. An unreachable builder
// fails in one line naming it and saying why.
func TestRemoteBuilder(t *testing.T) {
	requireTools(t)
	if _, err := exec.LookPath("ssh"); err != nil {
		testtool.Unavailable(t, "ssh is not installed (openssh-client)")
	}
	b := startBuilder(t)
	ws := copyWorkspace(t, "workspace")
	want := cargoRun(t, ws)
	env := []string{"NIX_SSHOPTS=" + b.sshOpts}
	local := filepath.Join(t.TempDir(), "store")

	doc := cnuEnv(t, ws, env, "doctor", "--builders", b.spec())
	if !strings.Contains(doc.stdout, "accepts ca-derivations") || strings.Contains(doc.stdout, "FAIL  builder") {
		t.Errorf("doctor on the loopback builder:\n%s%s", doc.stdout, doc.stderr)
	}

	r := cnuEnv(t, ws, env, "build", "--store", "local?root="+local, "--builders", b.spec(), "-j", "0", "--content-addressed=on", "--json", "--no-link")
	if r.code != 0 {
		t.Fatalf("remote build: exit %d\n%s", r.code, r.stderr)
	}
	rep := parseReport(t, r)
	if rep.Built != len(rep.Units) {
		t.Errorf("%d of %d units built", rep.Built, len(rep.Units))
	}
	for _, u := range rep.Units {
		if _, err := os.Stat(filepath.Join(b.root, u.Out)); err != nil {
			t.Errorf("%s was not built in the remote store: %v", u.Unit, err)
		}
		if _, err := os.Stat(filepath.Join(local, u.Out)); err != nil {
			t.Errorf("%s did not come back: %v", u.Unit, err)
		}
	}
	got := run(t, ws, nil, filepath.Join(local, rep.Result, "bin", "app"))
	if got.code != 0 || got.stdout != want {
		t.Errorf("the remotely built app (exit %d) prints\n%s\ncargo run prints\n%s", got.code, got.stdout, want)
	}

	// The same builder on a port nothing listens on.
	closed := []string{"NIX_SSHOPTS=" + strings.Replace(b.sshOpts, fmt.Sprintf("-p %d", b.port), fmt.Sprintf("-p %d", closedPort(t)), 1)}
	r = cnuEnv(t, ws, closed, "build", "--store", "local?root="+filepath.Join(t.TempDir(), "store"), "--builders", b.spec(),
		"-j", "0", "--content-addressed=on", "-p", "greeter-macros", "--no-link")
	oneError(t, r, "error: cannot build on the remote builder ssh-ng://root@127.0.0.1?")
	if !strings.Contains(r.stderr, "Connection refused") {
		t.Errorf("the error does not say why:\n%s", r.stderr)
	}
	doc = cnuEnv(t, ws, closed, "doctor", "--builders", b.spec())
	if doc.code == 0 || !strings.Contains(doc.stdout, "FAIL  builder         ssh-ng://root@127.0.0.1?ssh-key=") || !strings.Contains(doc.stdout, "does not answer") {
		t.Errorf("doctor on an unreachable builder: exit %d\n%s", doc.code, doc.stdout)
	}
}
