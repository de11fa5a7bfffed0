package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
)

// AddCrate adds the .crate file at local under name by its flat hash, as the
// output want of the derivation fetching it, so that the fetch is valid
// without fetching. checksum is Cargo.lock's SHA-256 of the crate: a file
// whose contents differ (a damaged download in Cargo's cache) is an error
// naming it, not a path Nix disagrees with.
func AddCrate(ctx context.Context, s Store, name, local, want, checksum string) error {
	sum, err := fileSHA256(local)
	if err != nil {
		return err
	}
	if sum != checksum {
		return fmt.Errorf("%s: its SHA-256 is %s, Cargo.lock says %s: remove it and let Cargo download it again", local, sum, checksum)
	}
	return s.AddFlat(ctx, name, local, want)
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
