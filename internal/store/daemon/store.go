package daemon

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"sort"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"
	"github.com/nix-community/go-nix/pkg/nar"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/aterm"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/store"
)

// Store is a store.Store over one daemon connection. Everything it adds, and
// every path it is asked about, stays rooted until Close: the caller keeps it
// open until the build that needs those paths has finished.
type Store struct {
	Conn *Conn
}

var _ store.Store = (*Store)(nil)

// Open connects as the environment says (ResolveAddress); nix and nixFlags are
// used when a daemon must be spawned. Messages from the daemon go to log.
func Open(ctx context.Context, nix string, nixFlags []string, log io.Writer) (*Store, error) {
	c, err := Dial(ctx, ResolveAddress(os.Getenv), nix, nixFlags)
	if err != nil {
		return nil, err
	}
	c.Log = log
	return &Store{Conn: c}, nil
}

// Close ends the connection and releases the temporary roots.
func (s *Store) Close() error { return s.Conn.Close() }

// ValidPaths roots every path first, then asks which are valid: that order (as
// in nix's own addTempRoot-then-check) means a path reported valid cannot be
// collected before Close.
func (s *Store) ValidPaths(ctx context.Context, paths []string) (map[string]bool, error) {
	if err := s.Conn.AddTempRoots(ctx, paths); err != nil {
		return nil, fmt.Errorf("rooting store paths: %w", err)
	}
	valid, err := s.Conn.QueryValidPaths(ctx, paths)
	if err != nil {
		return nil, fmt.Errorf("checking store paths: %w", err)
	}
	out := make(map[string]bool, len(valid))
	for _, p := range valid {
		out[p] = true
	}
	return out, nil
}

// AddPath adds the tree at local by NAR hash with no references, as
// `nix store add-path` does.
func (s *Store) AddPath(ctx context.Context, name, local, want string) error {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(nar.DumpPath(pw, local)) }()
	info, err := s.Conn.AddToStore(ctx, name, "fixed:r:sha256", nil, pr)
	pr.Close()
	if err != nil {
		return fmt.Errorf("adding %s to the store: %w", local, err)
	}
	if info.Path != want {
		return fmt.Errorf("adding %s to the store: nix made %s, cargo-nix-unit computed %s", local, info.Path, want)
	}
	return nil
}

// AddFlat adds the file at local by the SHA-256 of its bytes, as
// `nix store add-file` does: the dump of the flat method is the file itself.
func (s *Store) AddFlat(ctx context.Context, name, local, want string) error {
	f, err := os.Open(local)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := s.Conn.AddToStore(ctx, name, "fixed:sha256", nil, f)
	if err != nil {
		return fmt.Errorf("adding %s to the store: %w", local, err)
	}
	if info.Path != want {
		return fmt.Errorf("adding %s to the store: nix made %s, cargo-nix-unit computed %s", local, info.Path, want)
	}
	return nil
}

// AddDerivation registers d as `nix derivation add` does (nix: writeDerivation):
// a text-hashed path named <name>.drv holding the ATerm, referring to the input
// sources and input derivations. The daemon checks the derivation itself.
func (s *Store) AddDerivation(ctx context.Context, d *nixdrv.Derivation, want string) error {
	text := aterm.Bytes(d)
	refs := append([]string(nil), d.InputSources...)
	for p := range d.InputDerivations {
		refs = append(refs, p)
	}
	sort.Strings(refs)
	name := d.Env["name"] + ".drv"
	info, err := s.Conn.AddToStore(ctx, name, "text:sha256", refs, bytes.NewReader(text))
	if err != nil {
		return fmt.Errorf("registering %s: %w", want, err)
	}
	if info.Path != want {
		return fmt.Errorf("registering derivation %s: nix made %s, cargo-nix-unit computed %s\nATerm: %s",
			d.Env["name"], info.Path, want, text)
	}
	return nil
}
