package daemon

import (
	"context"
	"io"
	"slices"
)

// Operation codes (nix: libstore/worker-protocol.hh, WorkerProto::Op).
const (
	opIsValidPath     = 1
	opAddToStore      = 7
	opAddTempRoot     = 11
	opAddIndirectRoot = 12
	opQueryValidPaths = 31
)

// IsValidPath reports whether path is valid in the store.
func (c *Conn) IsValidPath(ctx context.Context, path string) (bool, error) {
	var valid bool
	err := c.do(ctx, func(w *protoWriter) {
		w.u64(opIsValidPath)
		w.str(path)
	}, func(r *protoReader) { valid = r.bool() })
	return valid, err
}

// QueryValidPaths returns the valid ones among paths, never substituting.
func (c *Conn) QueryValidPaths(ctx context.Context, paths []string) ([]string, error) {
	var valid []string
	err := c.do(ctx, func(w *protoWriter) {
		w.u64(opQueryValidPaths)
		w.strs(sortedUnique(paths))
		w.bool(false) // substitute
	}, func(r *protoReader) { valid = r.strs() })
	return valid, err
}

// AddTempRoot keeps path from the garbage collector while the connection lives.
func (c *Conn) AddTempRoot(ctx context.Context, path string) error {
	return c.AddTempRoots(ctx, []string{path})
}

// AddTempRoots roots every path while the connection lives; the requests are
// pipelined, a few hundred per round trip.
func (c *Conn) AddTempRoots(ctx context.Context, paths []string) error {
	const batch = 256
	for start := 0; start < len(paths); start += batch {
		part := paths[start:min(start+batch, len(paths))]
		err := c.doMany(ctx, len(part), func(w *protoWriter) {
			for _, p := range part {
				w.u64(opAddTempRoot)
				w.str(p)
			}
		}, func(r *protoReader) { r.u64() })
		if err != nil {
			return err
		}
	}
	return nil
}

// AddIndirectRoot makes the symlink at link (absolute) a garbage collector
// root for whatever store path it points to, until the link is removed.
func (c *Conn) AddIndirectRoot(ctx context.Context, link string) error {
	return c.do(ctx, func(w *protoWriter) {
		w.u64(opAddIndirectRoot)
		w.str(link)
	}, func(r *protoReader) { r.u64() })
}

// PathInfo is what the daemon says about a path it added.
type PathInfo struct {
	Path       string
	NarHash    string // base16 SHA-256
	References []string
	NarSize    uint64
	CA         string // "text:sha256:…", "fixed:r:sha256:…"
}

// AddToStore adds the contents read from dump under name (nix: daemon.cc,
// Op::AddToStore for protocol ≥ 1.25; RemoteStore::addCAToStore). method is a
// content-address method with its hash: "text:sha256" (dump is the file's bytes;
// derivations), "fixed:r:sha256" (dump is a NAR), "fixed:sha256" (dump is the
// file's bytes). The path is rooted while the
// connection lives (the daemon roots what it adds).
func (c *Conn) AddToStore(ctx context.Context, name, method string, refs []string, dump io.Reader) (*PathInfo, error) {
	info := &PathInfo{}
	err := c.do(ctx, func(w *protoWriter) {
		w.u64(opAddToStore)
		w.str(name)
		w.str(method)
		w.strs(sortedUnique(refs))
		w.bool(false) // repair
		// Frames go out before anything is read back: while reading them the
		// daemon says little enough to fit in the socket's buffer.
		buf := make([]byte, 32<<10)
		for w.err == nil {
			n, err := dump.Read(buf)
			if n > 0 {
				w.frame(buf[:n])
			}
			if err == io.EOF {
				break
			}
			if err != nil && w.err == nil {
				w.err = err
			}
		}
		w.frame(nil)
	}, func(r *protoReader) { readPathInfo(r, info) })
	if err != nil {
		return nil, err
	}
	return info, nil
}

// readPathInfo reads a ValidPathInfo (nix: worker-protocol.cc, protocol ≥ 1.16).
func readPathInfo(r *protoReader, info *PathInfo) {
	info.Path = r.str()
	r.str() // deriver
	info.NarHash = r.str()
	info.References = r.strs()
	r.u64() // registration time
	info.NarSize = r.u64()
	r.bool() // ultimate
	r.strs() // signatures
	info.CA = r.str()
}

// sortedUnique is xs sorted, without repeats; xs is left alone.
func sortedUnique(xs []string) []string {
	s := slices.Clone(xs)
	slices.Sort(s)
	return slices.Compact(s)
}
