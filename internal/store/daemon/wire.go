package daemon

import (
	"bufio"
	"fmt"

	"github.com/nix-community/go-nix/pkg/wire"
)

// maxString bounds a string the daemon sends (a message, a path, a version).
const maxString = 64 << 20

// protoWriter writes worker-protocol values (little-endian uint64s and padded
// strings, nix: libutil/serialise.hh); the first error sticks.
type protoWriter struct {
	w   *bufio.Writer
	err error
}

func (p *protoWriter) u64(n uint64) {
	if p.err == nil {
		p.err = wire.WriteUint64(p.w, n)
	}
}

func (p *protoWriter) bool(b bool) {
	if p.err == nil {
		p.err = wire.WriteBool(p.w, b)
	}
}

func (p *protoWriter) str(s string) {
	if p.err == nil {
		p.err = wire.WriteString(p.w, s)
	}
}

func (p *protoWriter) strs(ss []string) {
	p.u64(uint64(len(ss)))
	for _, s := range ss {
		p.str(s)
	}
}

// frame writes one frame of a framed stream (nix: FramedSink): a length and the
// bytes, unpadded. An empty frame ends the stream.
func (p *protoWriter) frame(b []byte) {
	p.u64(uint64(len(b)))
	if p.err == nil {
		_, p.err = p.w.Write(b)
	}
}

func (p *protoWriter) flush() error {
	if p.err == nil {
		p.err = p.w.Flush()
	}
	return p.err
}

// protoReader reads worker-protocol values; the first error sticks.
type protoReader struct {
	r   *bufio.Reader
	err error
}

func (p *protoReader) u64() uint64 {
	if p.err != nil {
		return 0
	}
	n, err := wire.ReadUint64(p.r)
	p.err = err
	return n
}

func (p *protoReader) bool() bool {
	if p.err != nil {
		return false
	}
	b, err := wire.ReadBool(p.r)
	p.err = err
	return b
}

func (p *protoReader) str() string {
	if p.err != nil {
		return ""
	}
	s, err := wire.ReadString(p.r, maxString)
	p.err = err
	return s
}

func (p *protoReader) strs() []string {
	n := p.u64()
	if n > maxString {
		p.err = fmt.Errorf("daemon sent a list of %d strings", n)
		return nil
	}
	var out []string
	for i := uint64(0); i < n && p.err == nil; i++ {
		out = append(out, p.str())
	}
	return out
}
