package store

import (
	"context"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"
)

// Store is a Nix store the tool writes to. Every method that adds something is
// given the path the tool computed, and fails if Nix disagrees.
type Store interface {
	// ValidPaths returns the subset of paths that are valid in the store.
	ValidPaths(ctx context.Context, paths []string) (map[string]bool, error)
	// AddPath adds the file or directory at local under name, by NAR content.
	AddPath(ctx context.Context, name, local, want string) error
	// AddFlat adds the regular file at local under name by the SHA-256 of its
	// bytes (a flat fixed-output path: a fetch's output, added without
	// fetching).
	AddFlat(ctx context.Context, name, local, want string) error
	// AddDerivation registers d, whose .drv path is want.
	AddDerivation(ctx context.Context, d *nixdrv.Derivation, want string) error
}
