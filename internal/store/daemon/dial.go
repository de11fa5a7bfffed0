package daemon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/run"
)

// Address is where the store is reached, decided from the environment as Nix
// decides it (nix: libstore/globals.cc nixDaemonSocketFile, store-api.cc).
type Address struct {
	// Socket is the daemon's Unix socket; "" means spawn `nix daemon --stdio`.
	Socket string
	// Required: the user asked for the daemon (NIX_REMOTE), so a failing socket
	// is an error rather than a reason to spawn.
	Required bool
}

// ResolveAddress reads NIX_REMOTE, NIX_DAEMON_SOCKET_PATH and NIX_STATE_DIR
// through getenv. NIX_REMOTE=daemon or unix://PATH names a socket; unset or
// auto tries the default socket, then spawning; any other store (local,
// local?root=…) is opened by a spawned `nix daemon --stdio`, as nix would.
func ResolveAddress(getenv func(string) string) Address {
	socket := getenv("NIX_DAEMON_SOCKET_PATH")
	if socket == "" {
		state := getenv("NIX_STATE_DIR")
		if state == "" {
			state = "/nix/var/nix"
		}
		socket = filepath.Join(state, "daemon-socket", "socket")
	}
	remote := getenv("NIX_REMOTE")
	switch {
	case remote == "daemon":
		return Address{Socket: socket, Required: true}
	case strings.HasPrefix(remote, "unix://"):
		p, _, _ := strings.Cut(strings.TrimPrefix(remote, "unix://"), "?")
		if p == "" {
			p = socket
		}
		return Address{Socket: p, Required: true}
	case remote == "" || remote == "auto":
		if _, err := os.Stat(socket); err == nil {
			return Address{Socket: socket}
		}
		return Address{}
	default:
		return Address{}
	}
}

// Dial connects to the daemon at a; without a socket (or when an optional one
// refuses) it spawns `nix daemon --stdio` with the given nix program and flags.
func Dial(ctx context.Context, a Address, nix string, nixFlags []string) (*Conn, error) {
	if a.Socket != "" {
		c, err := dialSocket(ctx, a.Socket)
		if err == nil {
			return c, nil
		}
		if a.Required {
			var oe *net.OpError
			if errors.As(err, &oe) && oe.Op == "dial" {
				return nil, &UnreachableError{Socket: a.Socket, Err: oe.Err}
			}
			return nil, err
		}
	}
	return Spawn(ctx, nix, nixFlags)
}

// UnreachableError: the daemon the environment names has no socket, or nothing
// listens on it. Nix's own clients would fail the same way, so it is final.
type UnreachableError struct {
	Socket string
	Err    error // the connect error: no such file, connection refused, ...
}

// UnreachableFix says what to do about an UnreachableError.
const UnreachableFix = "start the Nix daemon (nix-daemon, or systemctl start nix-daemon), or check NIX_REMOTE and NIX_DAEMON_SOCKET_PATH"

func (e *UnreachableError) Error() string { return e.Problem() + ": " + UnreachableFix }

// Problem is the error without the fix: where, and the system's reason.
func (e *UnreachableError) Problem() string {
	cause := e.Err.Error()
	var se *os.SyscallError
	if errors.As(e.Err, &se) {
		cause = se.Err.Error()
	}
	return fmt.Sprintf("cannot reach the Nix daemon at %s (%s)", e.Socket, cause)
}

// CheckSocket connects to the socket a requires, if any, and hangs up: an
// *UnreachableError when nothing answers.
func CheckSocket(a Address) error {
	if !a.Required {
		return nil
	}
	c, err := net.Dial("unix", a.Socket)
	if err != nil {
		var oe *net.OpError
		if errors.As(err, &oe) {
			err = oe.Err
		}
		return &UnreachableError{Socket: a.Socket, Err: err}
	}
	return c.Close()
}

func (e *UnreachableError) Unwrap() error { return e.Err }

func dialSocket(ctx context.Context, path string) (*Conn, error) {
	var d net.Dialer
	nc, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return nil, fmt.Errorf("connecting to the Nix daemon: %w", err)
	}
	c, err := newConn(ctx, nc, nc, nil)
	if err != nil {
		return nil, fmt.Errorf("connecting to the Nix daemon at %s: %w", path, err)
	}
	return c, nil
}

// Spawn starts `nix [flags] daemon --stdio`, which serves the store nix would
// open (a single-user local store needs no running daemon), and talks to it
// over its stdin and stdout.
func Spawn(ctx context.Context, nix string, flags []string) (*Conn, error) {
	if nix == "" {
		nix = "nix"
	}
	args := append(append([]string{nix}, flags...), "daemon", "--stdio")
	// Not tied to ctx: the daemon lives as long as the connection, and with it
	// the temporary roots of everything registered.
	cmd := run.Command(context.Background(), run.Cmd{Args: args}, 0)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr := &tailBuffer{max: 8 << 10}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", strings.Join(args, " "), err)
	}
	p := &process{cmd: cmd, stdin: stdin, stdout: stdout}
	// Once the connection fails, the daemon's stderr says why; waiting for it to
	// exit makes sure all of it has arrived.
	diag := func() string {
		p.Close()
		return stderr.String()
	}
	c, err := newConn(ctx, p, p, diag)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", strings.Join(args, " "), err)
	}
	return c, nil
}

// process is a spawned daemon seen as a connection: closing it closes its stdin,
// which ends the daemon, and waits for it.
type process struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout io.ReadCloser
	once   sync.Once
	err    error
}

func (p *process) Read(b []byte) (int, error)  { return p.stdout.Read(b) }
func (p *process) Write(b []byte) (int, error) { return p.stdin.Write(b) }

func (p *process) Close() error {
	p.once.Do(func() {
		// Closing stdout too keeps a daemon that is still writing (a cancelled
		// operation) from blocking forever.
		p.stdin.Close()
		p.stdout.Close()
		if err := p.cmd.Wait(); err != nil {
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				p.err = err
			}
		}
	})
	return p.err
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (t *tailBuffer) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf.Write(b)
	if over := t.buf.Len() - t.max; over > 0 {
		t.buf.Next(over)
	}
	return len(b), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}
