package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/derivation"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/store"
)

// fetchPaths are the store paths the fetched sources add: each .crate (the
// fetch's output) and the two derivations. The unpacked tree is one of the
// gathered trees.
func fetchPaths(fetches []*plan.Fetch) []string {
	var paths []string
	for _, f := range fetches {
		paths = append(paths, f.Crate.Out, f.Crate.Path, f.Unpack.Path)
	}
	return paths
}

// fetchDrvs are the fetched sources' derivations, each fetch before its
// unpacking: registered before the units naming them.
func fetchDrvs(fetches []*plan.Fetch) []*derivation.Drv {
	var drvs []*derivation.Drv
	for _, f := range fetches {
		drvs = append(drvs, f.Crate, f.Unpack)
	}
	return drvs
}

// addCrates adds the .crate files of the fetched sources that the store
// lacks, from Cargo's cache (crates, by checksum), by their flat hash: the
// fetch's output is then valid without fetching, as the unpacked tree (added
// by content) is the unpacking's. Nix needs neither fetch to build, since
// the unpacked tree is there; a .crate missing from Cargo's cache is left
// out. One whose contents are not its Cargo.lock checksum is an error.
func addCrates(ctx context.Context, st store.Store, fetches []*plan.Fetch, crates map[string]string, valid map[string]bool) error {
	for _, f := range fetches {
		file := crates[f.Origin.Checksum]
		if valid[f.Crate.Out] || file == "" {
			continue
		}
		sum, err := fileSHA256(file)
		if err != nil {
			return err
		}
		if sum != f.Origin.Checksum {
			return fmt.Errorf("%s: its SHA-256 is %s, Cargo.lock says %s: remove it and let Cargo download it again", file, sum, f.Origin.Checksum)
		}
		if err := st.AddFlat(ctx, f.Crate.Name, file, f.Crate.Out); err != nil {
			return err
		}
	}
	return nil
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
