package daemon

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/store"
)

// TestSocket talks to a `nix daemon` listening on a socket of its own, as a
// multi-user installation runs it.
func TestSocket(t *testing.T) {
	requireNix(t)
	socket := filepath.Join(t.TempDir(), "socket")
	cmd := exec.Command("nix", append(slices.Clone(store.Features), "daemon")...)
	cmd.Env = append(os.Environ(), "NIX_DAEMON_SOCKET_PATH="+socket)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	// Wait until the daemon accepts connections, or gives up. The socket file
	// exists from bind() on, before listen(): a dial in between is refused.
	ctx := context.Background()
	addr := ResolveAddress(func(k string) string {
		return map[string]string{"NIX_REMOTE": "unix://" + socket}[k]
	})
	var c *Conn
	for {
		var err error
		if c, err = Dial(ctx, addr, "", nil); err == nil {
			break
		}
		select {
		case exit := <-exited:
			t.Fatalf("nix daemon exited before accepting a connection: %v (last dial: %v)", exit, err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	defer c.Close()
	if c.DaemonVersion == "" || c.Minor < minMinor {
		t.Errorf("handshake: version %q, protocol 1.%d", c.DaemonVersion, c.Minor)
	}
	s := &Store{Conn: c}
	n := nonce(t)
	d := floating("socket-"+n, n, nil, nil)
	if err := s.AddDerivation(ctx, d, drvPath(t, d)); err != nil {
		t.Fatal(err)
	}
	valid, err := s.ValidPaths(ctx, []string{drvPath(t, d)})
	if err != nil || !valid[drvPath(t, d)] {
		t.Fatalf("%s not valid after adding over the socket: %v", drvPath(t, d), err)
	}
}

// TestRequiredSocketMissing: NIX_REMOTE=daemon with no daemon is an
// *UnreachableError naming the socket and the reason, not a spawned daemon;
// CheckSocket (doctor's check) says the same.
func TestRequiredSocketMissing(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, "stale") // a file, so connecting is refused
	if err := os.WriteFile(stale, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ socket, reason string }{
		{filepath.Join(dir, "none"), "no such file or directory"},
		{stale, "connection refused"},
	} {
		a := Address{Socket: c.socket, Required: true}
		want := "cannot reach the Nix daemon at " + c.socket + " (" + c.reason + "): " + UnreachableFix
		c, err := Dial(context.Background(), a, "nix", nil)
		if err == nil {
			c.Close()
			t.Fatal("connected to a socket nobody listens on")
		}
		var ue *UnreachableError
		if !errors.As(err, &ue) || err.Error() != want {
			t.Errorf("Dial: got %v, want %q", err, want)
		}
		if err := CheckSocket(a); err == nil || err.Error() != want {
			t.Errorf("CheckSocket: got %v, want %q", err, want)
		}
	}
	if err := CheckSocket(Address{}); err != nil {
		t.Errorf("CheckSocket without a required socket: %v", err)
	}
}

// TestSpawnFailure: a daemon that cannot start is reported with its own words.
func TestSpawnFailure(t *testing.T) {
	requireNix(t)
	_, err := Spawn(context.Background(), "nix", []string{"--no-such-flag"})
	t.Log(err)
	if err == nil || !strings.Contains(err.Error(), "no-such-flag") {
		t.Fatalf("got %v, want nix's complaint about --no-such-flag", err)
	}
}
