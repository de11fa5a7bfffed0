package daemon

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/ansi"
	"io"
	"strings"
	"sync"
)

// Worker protocol constants (nix: libstore/worker-protocol.hh).
const (
	magicClient = 0x6e697863
	magicDaemon = 0x6478696f

	// clientVersion is the newest protocol this client speaks: 1.38 (Nix 2.24–2.26).
	clientVersion = 1<<8 | 38
	// minMinor is the oldest daemon accepted: 1.35, Nix 2.18.
	minMinor = 35

	stderrNext          = 0x6f6c6d67
	stderrRead          = 0x64617461
	stderrWrite         = 0x64617416
	stderrLast          = 0x616c7473
	stderrError         = 0x63787470
	stderrStartActivity = 0x53545254
	stderrStopActivity  = 0x53544f50
	stderrResult        = 0x52534c54
)

// Conn is one connection to a Nix daemon. Its methods are safe for concurrent
// use; operations run one at a time, as the protocol requires.
type Conn struct {
	mu     sync.Mutex
	w      protoWriter
	r      protoReader
	closer io.Closer
	// broken is the I/O or protocol error that made the connection unusable.
	broken error
	// diag explains an unexpected end of the connection (the spawned daemon's stderr).
	diag func() string

	Minor         uint64 // negotiated protocol minor version
	DaemonVersion string // the daemon's Nix version, "2.26.3"
	// Log receives the daemon's messages (warnings); nil drops them.
	Log io.Writer
}

// Error is an error the daemon reported; its text is the daemon's own.
type Error struct {
	Msg    string
	Traces []string
}

func (e *Error) Error() string {
	if len(e.Traces) == 0 {
		return e.Msg
	}
	return e.Msg + "\n" + strings.Join(e.Traces, "\n")
}

// newConn shakes hands over rw (nix: WorkerProto::BasicClientConnection::handshake
// and postHandshake, RemoteStore::initConnection).
func newConn(ctx context.Context, rw io.ReadWriter, closer io.Closer, diag func() string) (*Conn, error) {
	c := &Conn{
		w:      protoWriter{w: bufio.NewWriterSize(rw, 64<<10)},
		r:      protoReader{r: bufio.NewReaderSize(rw, 64<<10)},
		closer: closer,
		diag:   diag,
	}
	stop := context.AfterFunc(ctx, func() { closer.Close() })
	defer stop()
	if err := c.handshake(); err != nil {
		closer.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	return c, nil
}

func (c *Conn) handshake() error {
	c.w.u64(magicClient)
	c.w.u64(clientVersion)
	if err := c.w.flush(); err != nil {
		return c.ioError(err)
	}
	magic, version := c.r.u64(), c.r.u64()
	if c.r.err != nil {
		return c.ioError(c.r.err)
	}
	if magic != magicDaemon {
		return fmt.Errorf("not a Nix daemon: greeting %#x", magic)
	}
	if version>>8 != 1 || version&0xff < minMinor {
		return fmt.Errorf("the Nix daemon speaks protocol %d.%d; cargo-nix-unit needs 1.%d (Nix 2.18) or newer",
			version>>8, version&0xff, minMinor)
	}
	c.Minor = min(version, clientVersion) & 0xff
	if c.Minor >= 38 {
		c.w.strs(nil) // no protocol features
		c.w.flush()
		c.r.strs()
	}
	c.w.u64(0)      // obsolete CPU affinity
	c.w.bool(false) // obsolete reserveSpace
	if err := c.w.flush(); err != nil {
		return c.ioError(err)
	}
	c.DaemonVersion = c.r.str()
	c.r.u64() // whether the daemon trusts us: nothing here needs trust
	if c.r.err != nil {
		return c.ioError(c.r.err)
	}
	return c.stderr() // startup messages
}

// ioError marks the connection broken and explains why.
func (c *Conn) ioError(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = errors.New("the Nix daemon closed the connection")
	}
	if c.diag != nil {
		if d := strings.TrimSpace(c.diag()); d != "" {
			err = fmt.Errorf("%w:\n%s", err, d)
		}
	}
	c.broken = err
	return err
}

// do runs one operation: send writes the request, reply reads the answer after
// the daemon's log messages. A daemon error leaves the connection usable.
func (c *Conn) do(ctx context.Context, send func(w *protoWriter), reply func(r *protoReader)) error {
	return c.doMany(ctx, 1, send, reply)
}

// doMany pipelines n operations: send writes all the requests at once, reply
// reads one answer at a time. It returns the first daemon error, having read
// every answer. Keep n small enough for the answers to fit in the socket's buffer.
func (c *Conn) doMany(ctx context.Context, n int, send func(w *protoWriter), reply func(r *protoReader)) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.broken != nil {
		return c.broken
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// Cancelling closes the connection: a half-done operation cannot be resumed.
	stop := context.AfterFunc(ctx, func() { c.closer.Close() })
	defer stop()
	err := c.exchange(n, send, reply)
	if c.broken != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

func (c *Conn) exchange(n int, send func(w *protoWriter), reply func(r *protoReader)) error {
	send(&c.w)
	if err := c.w.flush(); err != nil {
		return c.ioError(err)
	}
	var first error
	for range n {
		if err := c.stderr(); err != nil {
			if c.broken != nil {
				return cmp.Or(first, err) // the daemon's reason, if it gave one
			}
			first = cmp.Or(first, err)
			continue // an error replaces the answer
		}
		if reply != nil {
			reply(&c.r)
		}
		if c.r.err != nil {
			return cmp.Or(first, c.ioError(c.r.err))
		}
	}
	return first
}

// stderr reads the daemon's messages up to the end of an operation's work
// (nix: processStderrReturn). It returns an *Error if the daemon failed.
func (c *Conn) stderr() error {
	r := &c.r
	for {
		msg := r.u64()
		if r.err != nil {
			return c.ioError(r.err)
		}
		switch msg {
		case stderrLast:
			return nil
		case stderrError:
			e := c.readError()
			if r.err != nil {
				return c.ioError(r.err)
			}
			return e
		case stderrNext:
			if s := r.str(); c.Log != nil && r.err == nil {
				fmt.Fprintln(c.Log, strings.TrimRight(ansi.Strip(s), "\n"))
			}
		case stderrStartActivity:
			r.u64() // id
			r.u64() // level
			r.u64() // type
			r.str() // text
			c.skipFields()
			r.u64() // parent
		case stderrStopActivity:
			r.u64()
		case stderrResult:
			r.u64() // id
			r.u64() // type
			c.skipFields()
		case stderrWrite, stderrRead:
			return c.ioError(fmt.Errorf("the Nix daemon wants to stream data (message %#x), which no operation here does", msg))
		default:
			return c.ioError(fmt.Errorf("unknown message %#x from the Nix daemon", msg))
		}
	}
}

func (c *Conn) skipFields() {
	r := &c.r
	n := r.u64()
	for i := uint64(0); i < n && r.err == nil; i++ {
		switch t := r.u64(); t {
		case 0:
			r.u64()
		case 1:
			r.str()
		default:
			if r.err == nil {
				r.err = fmt.Errorf("unknown log field type %d from the Nix daemon", t)
			}
		}
	}
}

// readError reads a daemon error, protocol ≥ 1.26 (nix: libutil/serialise.cc readError).
func (c *Conn) readError() *Error {
	r := &c.r
	r.str() // "Error"
	r.u64() // verbosity
	r.str() // name, unused
	e := &Error{Msg: ansi.Strip(r.str())}
	r.u64() // position: always none
	n := r.u64()
	for i := uint64(0); i < n && r.err == nil; i++ {
		r.u64() // position
		e.Traces = append(e.Traces, ansi.Strip(r.str()))
	}
	return e
}

// Close ends the connection; a daemon spawned for it exits, and the temporary
// roots it held are released.
func (c *Conn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.broken == nil {
		c.w.flush()
		c.broken = errors.New("connection to the Nix daemon is closed")
	}
	return c.closer.Close()
}
