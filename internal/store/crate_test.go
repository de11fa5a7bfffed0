package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"
)

// flatStore records AddFlat calls; nothing else is used.
type flatStore struct{ added []string }

func (s *flatStore) ValidPaths(context.Context, []string) (map[string]bool, error) { return nil, nil }
func (s *flatStore) AddPath(context.Context, string, string, string) error         { return nil }
func (s *flatStore) AddDerivation(context.Context, *nixdrv.Derivation, string) error {
	return nil
}
func (s *flatStore) AddFlat(_ context.Context, name, _, want string) error {
	s.added = append(s.added, name+" "+want)
	return nil
}

func TestAddCrate(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a-1.0.0.crate")
	if err := os.WriteFile(file, []byte("crate bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	const sum = "1bd9b0aa5e8a2a3ae3f0d6bfa9ab31e5d1d5b1e5c1a2d0cbd8c9e44c8bd2b2c7" // not its hash
	real, err := fileSHA256(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, file, checksum string
		added                bool
		err                  string // a part of the error
	}{
		{"checksum matches", file, real, true, ""},
		{"damaged crate", file, sum, false, "its SHA-256 is " + real + ", Cargo.lock says " + sum},
		{"missing crate", filepath.Join(dir, "none.crate"), real, false, "none.crate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &flatStore{}
			err := AddCrate(context.Background(), s, "a-1.0.0.crate", tc.file, "/nix/store/x-a-1.0.0.crate", tc.checksum)
			if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Fatalf("AddCrate: %v, want an error with %q", err, tc.err)
			}
			if added := len(s.added) == 1; added != tc.added {
				t.Errorf("added %v, want added %v", s.added, tc.added)
			}
		})
	}
}
