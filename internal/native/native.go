// Package native reads the native inputs a package's build needs from the
// host or the Nix store, declared where a reviewer sees them: a
// [package.metadata.nix-unit] table in the package's Cargo.toml, or, for
// dependencies one cannot edit, a [package.<name>] table in nix-unit.toml at
// the workspace root. Whatever is declared goes into the package's
// derivations (so it is part of their hashes and shows in `nix derivation
// show`); nothing undeclared from the host reaches them.
package native

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// Inputs are one package's declared native inputs.
type Inputs struct {
	// Env is set for the package's build script and rustc.
	Env map[string]string `json:"env,omitempty" toml:"env"`
	// Store are store paths the package's build needs: inputs of its
	// derivations, their bin/ first on PATH and their lib/pkgconfig and
	// share/pkgconfig on PKG_CONFIG_PATH.
	Store []string `json:"store,omitempty" toml:"store"`
	// SandboxPaths are host paths the sandbox shows during the build (Nix
	// takes them for the whole `nix build`; a non-trusted user needs them in
	// nix.conf's extra-sandbox-paths).
	SandboxPaths []string `json:"sandbox-paths,omitempty" toml:"sandbox-paths"`
	// OnHost names test targets of the package (the lib's or a bin's name for
	// their unit tests, an integration test's or a bench's name) whose test
	// executables `test` runs on the host, outside the sandbox and uncached,
	// as --on-host runs every one: tests that need the network, devices or the
	// real home. plan checks the names.
	OnHost []string `json:"on-host,omitempty" toml:"on-host"`
}

// File is the workspace-level file's name.
const File = "nix-unit.toml"

// Package is what Load needs to know of a package.
type Package struct {
	Name, Manifest string
	Metadata       json.RawMessage // [package.metadata], as cargo metadata gives it
}

// Load reads nix-unit.toml in root (if any) and each package's
// [package.metadata.nix-unit]; both for one package are merged, the
// package's own table last. The result is keyed by package name.
func Load(root string, pkgs []Package) (map[string]*Inputs, error) {
	out := map[string]*Inputs{}
	path := filepath.Join(root, File)
	if _, err := os.Stat(path); err == nil {
		var f struct {
			Package map[string]toml.Primitive `toml:"package"`
		}
		md, err := toml.DecodeFile(path, &f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if un := md.Undecoded(); len(un) > 0 {
			for _, k := range un {
				if len(k) < 3 {
					return nil, fmt.Errorf("%s: unknown key %s (want [package.<name>] tables with env, store, sandbox-paths and on-host)", path, k)
				}
			}
		}
		names := make([]string, 0, len(f.Package))
		for n := range f.Package {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			var in Inputs
			if err := md.PrimitiveDecode(f.Package[n], &in); err != nil {
				return nil, fmt.Errorf("%s: package.%s: %w", path, n, err)
			}
			if err := unknownKeys(md, "package", n); err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			if err := in.check(); err != nil {
				return nil, fmt.Errorf("%s: package.%s: %w", path, n, err)
			}
			out[n] = &in
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, p := range pkgs {
		in, err := fromMetadata(p.Metadata)
		if err != nil {
			return nil, fmt.Errorf("%s: [package.metadata.nix-unit]: %w", p.Manifest, err)
		}
		if in == nil {
			continue
		}
		if prev := out[p.Name]; prev != nil {
			in = prev.merge(in)
		}
		out[p.Name] = in
	}
	return out, nil
}

// unknownKeys reports keys of package.<name> other than env, store, sandbox-paths and on-host.
func unknownKeys(md toml.MetaData, table, name string) error {
	for _, k := range md.Undecoded() {
		if len(k) >= 3 && k[0] == table && k[1] == name {
			return fmt.Errorf("package.%s: unknown key %q (want env, store, sandbox-paths, on-host)", name, k[2])
		}
	}
	return nil
}

func fromMetadata(raw json.RawMessage) (*Inputs, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var md map[string]json.RawMessage
	if err := json.Unmarshal(raw, &md); err != nil {
		return nil, nil // metadata of another shape belongs to another tool
	}
	table, ok := md["nix-unit"]
	if !ok {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(table))
	dec.DisallowUnknownFields()
	var in Inputs
	if err := dec.Decode(&in); err != nil {
		return nil, fmt.Errorf("%w (want env, store, sandbox-paths, on-host)", err)
	}
	return &in, in.check()
}

// check validates the declaration: store paths must be store paths that exist,
// sandbox paths absolute and present.
func (in *Inputs) check() error {
	for _, p := range in.Store {
		if !strings.HasPrefix(p, "/nix/store/") || strings.Count(strings.TrimPrefix(p, "/nix/store/"), "/") > 0 {
			return fmt.Errorf("store: %q is not a store path (/nix/store/<hash>-<name>)", p)
		}
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("store: %s is not in the store: %w", p, err)
		}
	}
	for _, p := range in.SandboxPaths {
		if !filepath.IsAbs(p) {
			return fmt.Errorf("sandbox-paths: %q is not absolute", p)
		}
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("sandbox-paths: %w", err)
		}
	}
	for _, t := range in.OnHost {
		if t == "" {
			return fmt.Errorf("on-host: an empty target name")
		}
	}
	for k := range in.Env {
		if k == "" || strings.ContainsAny(k, "=\x00") {
			return fmt.Errorf("env: %q is not a variable name", k)
		}
	}
	return nil
}

// merge returns in with more added; more's env wins.
func (in *Inputs) merge(more *Inputs) *Inputs {
	r := &Inputs{Env: map[string]string{}}
	for _, x := range []*Inputs{in, more} {
		for k, v := range x.Env {
			r.Env[k] = v
		}
		r.Store = append(r.Store, x.Store...)
		r.SandboxPaths = append(r.SandboxPaths, x.SandboxPaths...)
		r.OnHost = append(r.OnHost, x.OnHost...)
	}
	return r
}

// Apply adds the inputs to a process environment: declared variables, store
// paths' bin/ before PATH and their pkg-config directories on PKG_CONFIG_PATH.
func (in *Inputs) Apply(env map[string]string) {
	if in == nil {
		return
	}
	var bins, pc []string
	for _, p := range in.Store {
		bins = append(bins, p+"/bin")
		pc = append(pc, p+"/lib/pkgconfig", p+"/share/pkgconfig")
	}
	if len(bins) > 0 {
		env["PATH"] = strings.Join(append(bins, env["PATH"]), ":")
		if old := env["PKG_CONFIG_PATH"]; old != "" {
			pc = append(pc, old)
		}
		env["PKG_CONFIG_PATH"] = strings.Join(pc, ":")
	}
	for k, v := range in.Env {
		env[k] = v
	}
}
