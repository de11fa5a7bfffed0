package gather

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/cargoconfig"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/toolchain"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// Describe adds what only the plan file needs: the hashes of Cargo.lock and
// the manifests, and the toolchain's components.
func Describe(in *plan.Input, tc *toolchain.Toolchain) error {
	in.Toolchain.Components = components(tc.HostSysroot)
	var err error
	in.Checked, err = checked(in, in.Graph.Workspace.WorkspaceRoot)
	return err
}

// Origins says where each non-path package's source comes from (Cargo.lock's
// checksums, the registries' download URLs after source replacement, git
// revisions): the plan file describes registry crates by it, and both the
// CLI and the flake fetch a registry crate's source by it (plan.Fetch). It
// reads no network: a registry's download URL comes from the config.json
// Cargo keeps beside its index, and each crate's .crate from Cargo's cache,
// returned by checksum. A fetched crate is a registry crate downloaded from
// where it was fetched, whatever serves it to Cargo here.
func Origins(in *plan.Input, dir string, fetched []Fetched) (map[string]string, error) {
	in.Origins = map[string]*plan.Origin{}
	if !slices.ContainsFunc(in.Graph.Units, func(u unitgraph.Unit) bool { return !u.Package.IsPath() }) {
		return nil, nil // no Cargo.lock to read
	}
	if dir == "" {
		dir = "."
	}
	cc, err := cargoconfig.Load(dir, os.Getenv)
	if err != nil {
		return nil, err
	}
	lock, err := readLock(filepath.Join(in.Graph.Workspace.WorkspaceRoot, "Cargo.lock"))
	if err != nil {
		return nil, err
	}
	crates := map[string]string{}
	for _, u := range in.Graph.Units {
		pkg := u.Package
		if pkg.IsPath() || in.Origins[pkg.ID] != nil {
			continue
		}
		o, err := origin(pkg.Name, pkg.Version, *pkg.Source, pkg.Dir(), cc, lock)
		if err != nil {
			return nil, fmt.Errorf("package %s %s: %w", pkg.Name, pkg.Version, err)
		}
		for _, f := range fetched {
			if f.Name == pkg.Name && f.Version == pkg.Version && f.Source == *pkg.Source {
				o.Kind, o.URL = "registry", f.URL
			}
		}
		in.Origins[pkg.ID] = o
		if o.Kind == "registry" && o.Checksum != "" {
			if f := cachedCrate(pkg.Dir(), pkg.Name, pkg.Version); f != "" {
				crates[o.Checksum] = f
			}
		}
	}
	return crates, nil
}

type lockFile map[string]string // "name version source" → checksum

func readLock(path string) (lockFile, error) {
	var f struct {
		Package []struct{ Name, Version, Source, Checksum string } `toml:"package"`
	}
	if _, err := toml.DecodeFile(path, &f); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	l := lockFile{}
	for _, p := range f.Package {
		l[p.Name+" "+p.Version+" "+p.Source] = p.Checksum
	}
	return l, nil
}

// origin describes one package's source (kind+url, as cargo metadata gives it).
func origin(name, version, src, dir string, cc *cargoconfig.Config, lock lockFile) (*plan.Origin, error) {
	kind, url, ok := strings.Cut(src, "+")
	if !ok {
		return nil, fmt.Errorf("source %q: not kind+url", src)
	}
	o := &plan.Origin{Source: src, Checksum: lock[name+" "+version+" "+src]}
	if kind == "git" {
		// git+URL?branch=…#commit: the locked commit follows '#'.
		repo, rev, _ := strings.Cut(url, "#")
		repo, _, _ = strings.Cut(repo, "?")
		def, err := cc.Serving("git", repo)
		if err != nil {
			return nil, err
		}
		if def.Git == "" {
			o.Kind = "directory"
			return o, nil
		}
		o.Kind, o.Git, o.Rev, o.Subdir = "git", repo, rev, gitSubdir(dir)
		return o, nil
	}
	def, err := cc.Serving(kind, url)
	if err != nil {
		return nil, err
	}
	if def.Registry == "" {
		o.Kind = "directory"
		return o, nil
	}
	o.Kind = "registry"
	if dl := configDL(dir); dl != "" {
		o.URL = DownloadURL(dl, name, version, o.Checksum)
	}
	return o, nil
}

// gitSubdir is a git package's directory relative to its checkout (the
// nearest directory above it holding .git or Cargo's .cargo-ok).
func gitSubdir(dir string) string {
	for d := dir; d != filepath.Dir(d); d = filepath.Dir(d) {
		for _, mark := range []string{".git", ".cargo-ok"} {
			if _, err := os.Lstat(filepath.Join(d, mark)); err == nil {
				rel, _ := filepath.Rel(d, dir)
				if rel == "." {
					return ""
				}
				return filepath.ToSlash(rel)
			}
		}
	}
	return ""
}

// Cargo keeps a registry's crates in <registry>/src/<index dir>/<name>-<version>
// beside its index (<registry>/index/<index dir>, holding a sparse
// registry's config.json) and the downloaded .crate files
// (<registry>/cache/<index dir>/<name>-<version>.crate) (cargo:
// sources/registry/mod.rs, RegistrySource::remote; http_remote.rs keeps
// config.json). Found from the crate's own directory, whatever CARGO_HOME was.
func registryDir(dir, sub string) string {
	index := filepath.Dir(dir)
	if filepath.Base(filepath.Dir(index)) != "src" {
		return ""
	}
	return filepath.Join(filepath.Dir(filepath.Dir(index)), sub, filepath.Base(index))
}

// configDL reads the dl template of the registry holding the unpacked crate
// at dir from the config.json Cargo keeps in its index directory; "" for a
// git index (config.json is inside the repository) or none.
func configDL(dir string) string {
	index := registryDir(dir, "index")
	if index == "" {
		return ""
	}
	b, err := os.ReadFile(filepath.Join(index, "config.json"))
	if err != nil {
		return ""
	}
	var cfg struct {
		DL string `json:"dl"`
	}
	if json.Unmarshal(b, &cfg) != nil {
		return ""
	}
	return cfg.DL
}

// cachedCrate is the .crate file Cargo downloaded for the crate it unpacked
// at dir, "" if it is not there.
func cachedCrate(dir, name, version string) string {
	cache := registryDir(dir, "cache")
	if cache == "" {
		return ""
	}
	f := filepath.Join(cache, name+"-"+version+".crate")
	if fi, err := os.Stat(f); err != nil || !fi.Mode().IsRegular() {
		return ""
	}
	return f
}

// DownloadURL fills in a registry's dl template as Cargo does (cargo:
// sources/registry/download.rs): {crate}, {version}, {prefix}, {lowerprefix},
// {sha256-checksum}; without any, /{crate}/{version}/download is appended.
func DownloadURL(dl, name, version, checksum string) string {
	markers := []string{"{crate}", "{version}", "{prefix}", "{lowerprefix}", "{sha256-checksum}"}
	has := false
	for _, m := range markers {
		has = has || strings.Contains(dl, m)
	}
	if !has {
		return strings.TrimSuffix(dl, "/") + "/" + name + "/" + version + "/download"
	}
	prefix := cratePrefix(name)
	return strings.NewReplacer("{crate}", name, "{version}", version, "{prefix}", prefix,
		"{lowerprefix}", strings.ToLower(prefix), "{sha256-checksum}", checksum).Replace(dl)
}

// cratePrefix is the index directory of a crate name (cargo: make_dep_prefix).
func cratePrefix(name string) string {
	switch len(name) {
	case 1, 2:
		return fmt.Sprint(len(name))
	case 3:
		return "3/" + name[:1]
	}
	return name[:2] + "/" + name[2:4]
}

// checked hashes Cargo.lock, the workspace's manifest and every path
// package's manifest inside the workspace.
func checked(in *plan.Input, root string) ([]plan.Checked, error) {
	files := map[string]bool{"Cargo.lock": true}
	if _, err := os.Stat(filepath.Join(root, "Cargo.toml")); err == nil {
		files["Cargo.toml"] = true
	}
	for _, u := range in.Graph.Units {
		if !u.Package.IsPath() {
			continue
		}
		rel, err := filepath.Rel(root, u.Package.ManifestPath)
		if err == nil && !strings.HasPrefix(rel, "..") {
			files[filepath.ToSlash(rel)] = true
		}
	}
	var out []plan.Checked
	for f := range files {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", f, err)
		}
		sum := sha256.Sum256(b)
		out = append(out, plan.Checked{File: f, SHA256: hex.EncodeToString(sum[:])})
	}
	sort.Slice(out, func(a, b int) bool { return out[a].File < out[b].File })
	return out, nil
}

// components lists rustup's installed components of the toolchain at
// sysroot; nil for a toolchain without the list (Debian's, nixpkgs').
func components(sysroot string) []string {
	b, err := os.ReadFile(filepath.Join(sysroot, "lib", "rustlib", "components"))
	if err != nil {
		return nil
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
}
