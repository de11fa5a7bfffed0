package gather

import (
	"crypto/sha256"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/nix-community/go-nix/pkg/nar"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/aterm"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/cache"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/source"
)

// BuilderName is the builder executable's name, installed next to cargo-nix-unit.
const BuilderName = "cargo-nix-unit-builder"

// InstallHint is the command that installs both programs as they must be: the
// builder static (it runs in the sandbox, where there is no libc) and
// reproducible (its bytes are part of every derivation, so caches are shared
// only between identical builders).
const InstallHint = "CGO_ENABLED=0 go install -trimpath -ldflags=-buildid= github.com/cargo-nix-unit/cargo-nix-unit/...@latest"

// FindBuilder locates the builder executable: explicit path, $CARGO_NIX_UNIT_BUILDER,
// or next to this program (where `go install .../...` and the flake put it).
func FindBuilder(explicit string, hashes *cache.HashCache) (*source.Tree, error) {
	path := explicit
	if path == "" {
		path = os.Getenv("CARGO_NIX_UNIT_BUILDER")
	}
	if path == "" {
		self, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("locating %s: %w", BuilderName, err)
		}
		if real, err := filepath.EvalSymlinks(self); err == nil {
			self = real
		}
		path = filepath.Join(filepath.Dir(self), BuilderName)
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s not found next to %s; install both with\n  %s\nor set CARGO_NIX_UNIT_BUILDER", BuilderName, self, InstallHint)
		}
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("the builder %s: %w", path, err)
	}
	if fi.Mode()&0o111 == 0 {
		return nil, fmt.Errorf("the builder %s is not executable", path)
	}
	if err := checkStatic(path); err != nil {
		return nil, err
	}
	sum, err := hashes.File(path, func() ([32]byte, error) {
		var sum [32]byte
		h := sha256.New()
		if err := nar.DumpPath(h, path); err != nil {
			return sum, err
		}
		copy(sum[:], h.Sum(nil))
		return sum, nil
	})
	if err != nil {
		return nil, fmt.Errorf("hashing the builder %s: %w", path, err)
	}
	return &source.Tree{Dir: path, Name: BuilderName, Path: aterm.StorePathForSource(sum, BuilderName)}, nil
}

// checkStatic refuses an ELF builder that asks for a dynamic loader: the sandbox
// holds only the store paths a derivation names, so it would fail in every unit
// with a bare "No such file or directory". Other formats (Mach-O) pass: macOS
// sandboxes provide the system libraries.
func checkStatic(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("reading the builder %s: %w", path, err)
	}
	defer f.Close()
	magic := make([]byte, len(elf.ELFMAG))
	if _, err := io.ReadFull(f, magic); err != nil || string(magic) != elf.ELFMAG {
		return nil // not ELF
	}
	ef, err := elf.NewFile(f)
	if err != nil {
		return fmt.Errorf("reading the builder %s: %w", path, err)
	}
	for _, p := range ef.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("the builder %s is dynamically linked and cannot run in the Nix sandbox; reinstall it static with\n  %s", path, InstallHint)
		}
	}
	return nil
}
