package gather

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/cargoconfig"
)

// Fetched is a registry crate fetched for planning without its registry:
// the flake's import-from-derivation mode fetches every crate of Cargo.lock
// from the registries it is told, and plans against them offline
// (`cargo nix-unit plan --crates`). The plan describes it as the registry
// crate it is, downloaded from URL, whatever serves it to Cargo here.
type Fetched struct {
	Source   string `json:"source"` // as Cargo.lock names it: registry+URL or sparse+URL
	Name     string `json:"name"`
	Version  string `json:"version"`
	Checksum string `json:"checksum"` // Cargo.lock's
	Crate    string `json:"crate"`    // the .crate file
	URL      string `json:"url"`      // where it was downloaded
}

// ReadFetched reads a list of fetched crates (JSON) from r.
func ReadFetched(r io.Reader) ([]Fetched, error) {
	var list []Fetched
	if err := json.NewDecoder(r).Decode(&list); err != nil {
		return nil, fmt.Errorf("reading the fetched crates: %w", err)
	}
	for _, f := range list {
		if f.Source == "" || f.Name == "" || f.Version == "" || f.Checksum == "" || f.Crate == "" || f.URL == "" {
			return nil, fmt.Errorf("reading the fetched crates: %+v lacks a field", f)
		}
	}
	return list, nil
}

// withFetched is cfg asking Cargo with the fetched crates unpacked into a
// new directory, which done removes.
func withFetched(cfg *Config) (*Config, func(), error) {
	dir := cfg.Query.Dir
	if dir == "" {
		dir = "."
	}
	cc, err := cargoconfig.Load(dir, os.Getenv)
	if err != nil {
		return nil, nil, err
	}
	tmp, err := os.MkdirTemp("", "cargo-nix-unit-crates-")
	if err != nil {
		return nil, nil, err
	}
	done := func() { os.RemoveAll(tmp) }
	args, err := vendor(cfg.Fetched, tmp, cc)
	if err != nil {
		done()
		return nil, nil, err
	}
	c := *cfg
	c.NoCache = true // Cargo's answers name a directory that is gone after
	add := func(q []string) []string {
		if !slices.Contains(q, "--offline") {
			q = append(q, "--offline")
		}
		return append(append([]string{}, q...), args...)
	}
	c.Query.BuildArgs, c.Query.MetadataArgs = add(c.Query.BuildArgs), add(c.Query.MetadataArgs)
	return &c, done, nil
}

// vendor unpacks the fetched crates below dir, one directory source per
// registry (as `cargo vendor` lays them out: <name>-<version>/ with a
// .cargo-checksum.json giving Cargo.lock's checksum), and returns the
// arguments that make Cargo read them instead of their registries: --config
// replacing each registry's source (a command-line --config outranks every
// configuration file).
func vendor(fetched []Fetched, dir string, cc *cargoconfig.Config) ([]string, error) {
	index := map[string]int{}
	var args []string
	for _, f := range fetched {
		n, ok := index[f.Source]
		if !ok {
			n = len(index)
			index[f.Source] = n
			a, err := replaceArgs(f.Source, fmt.Sprintf("cargo-nix-unit-fetched-%d", n), filepath.Join(dir, fmt.Sprint(n)), cc)
			if err != nil {
				return nil, err
			}
			args = append(args, a...)
		}
		dst := filepath.Join(dir, fmt.Sprint(n), f.Name+"-"+f.Version)
		if err := unpackAll(f.Crate, f.Name+"-"+f.Version+"/", dst); err != nil {
			return nil, fmt.Errorf("unpacking %s %s: %w", f.Name, f.Version, err)
		}
		sum, _ := json.Marshal(map[string]any{"package": f.Checksum, "files": map[string]string{}})
		if err := os.WriteFile(filepath.Join(dst, ".cargo-checksum.json"), sum, 0o644); err != nil {
			return nil, err
		}
	}
	return args, nil
}

// replaceArgs are Cargo's --config arguments replacing the registry source
// (as Cargo.lock names it) with the directory source name at dir: through
// the [source] name Cargo already knows it by, else a table of its own, as
// `cargo vendor` writes them.
func replaceArgs(source, name, dir string, cc *cargoconfig.Config) ([]string, error) {
	kind, url, ok := strings.Cut(source, "+")
	if !ok || kind != "registry" && kind != "sparse" {
		return nil, fmt.Errorf("source %q: not a registry", source)
	}
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	args := []string{"--config", "source." + q(name) + ".directory=" + q(dir)}
	if known := cc.SourceName(kind, url); known != "" {
		return append(args, "--config", "source."+q(known)+".replace-with="+q(name)), nil
	}
	index := url
	if kind == "sparse" {
		index = source
	}
	return append(args, "--config", "source."+q(source)+".registry="+q(index),
		"--config", "source."+q(source)+".replace-with="+q(name)), nil
}

// unpackAll writes every file of a .crate below prefix into dst, executable
// where the archive says so, as Cargo unpacks a download (the flake's
// unpack-crate action writes the same files).
func unpackAll(crate, prefix, dst string) error {
	f, err := os.Open(crate)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: %w", crate, err)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", crate, err)
		}
		rel, ok := strings.CutPrefix(h.Name, prefix)
		if !ok || rel == "" || !filepath.IsLocal(rel) {
			continue
		}
		p := filepath.Join(dst, filepath.FromSlash(rel))
		if h.Typeflag == tar.TypeDir {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		switch h.Typeflag {
		case tar.TypeReg:
			mode := os.FileMode(0o644)
			if h.Mode&0o100 != 0 {
				mode = 0o755
			}
			out, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
			if err != nil {
				return err
			}
			if _, err := io.Copy(out, tr); err != nil {
				out.Close()
				return err
			}
			if err := out.Close(); err != nil {
				return err
			}
		case tar.TypeSymlink:
			if err := os.Symlink(h.Linkname, p); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s: %s is neither a file nor a symlink", crate, h.Name)
		}
	}
}
