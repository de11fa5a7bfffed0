package cargoconfig

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// SourceDef is a [source.<name>] table: where that source's packages come from
// (cargo: sources/config.rs, SourceConfigMap).
type SourceDef struct {
	ReplaceWith   string `toml:"replace-with"`
	Registry      string `toml:"registry"`       // an index URL, "sparse+…" or a git URL
	Directory     string `toml:"directory"`      // absolute once loaded
	LocalRegistry string `toml:"local-registry"` // absolute once loaded
	Git           string `toml:"git"`
}

// CratesIO is the name Cargo gives the default registry's source.
const CratesIO = "crates-io"

func (c *Config) mergeSources(path string) error {
	var f struct {
		Source     map[string]SourceDef `toml:"source"`
		Registries map[string]struct {
			Index string `toml:"index"`
		} `toml:"registries"`
	}
	if _, err := toml.DecodeFile(path, &f); err != nil {
		return fmt.Errorf("cargo configuration %s: %w", path, err)
	}
	if c.Sources == nil {
		c.Sources, c.Registries = map[string]SourceDef{}, map[string]string{}
	}
	root := filepath.Dir(filepath.Dir(path))
	abs := func(p string) string {
		if p != "" && !filepath.IsAbs(p) {
			return filepath.Join(root, p)
		}
		return p
	}
	for name, s := range f.Source {
		s.Directory, s.LocalRegistry = abs(s.Directory), abs(s.LocalRegistry)
		c.Sources[name] = s
	}
	for name, r := range f.Registries {
		if r.Index != "" {
			c.Registries[name] = r.Index
		}
	}
	return nil
}

// Serving follows replace-with from the source of a package (url: the part of
// its package id's source after "registry+", "sparse+" or "git+", kind that
// prefix) to the source that serves its files. A registry no [source] or
// [registries] table names is the default one (crates-io). The result is the
// source's own definition when nothing replaces it.
func (c *Config) Serving(kind, url string) (SourceDef, error) {
	name := ""
	for n, s := range c.Sources {
		if sameURL(s.Registry, kind, url) || kind == "git" && s.Git == url {
			name = n
		}
	}
	if name == "" && kind != "git" {
		name = CratesIO
		for _, idx := range c.Registries {
			if sameURL(idx, kind, url) {
				name = ""
			}
		}
	}
	def := SourceDef{Registry: kind + "+" + url}
	if kind == "git" {
		def = SourceDef{Git: url}
	}
	for seen := map[string]bool{}; name != ""; {
		s, ok := c.Sources[name]
		if !ok {
			if seen[name] {
				break
			}
			return def, fmt.Errorf("source %s: no [source.%s] in the cargo configuration", name, name)
		}
		if seen[name] {
			return def, fmt.Errorf("source %s: replace-with loops", name)
		}
		seen[name] = true
		if s.ReplaceWith == "" {
			if s.Registry != "" || s.Directory != "" || s.LocalRegistry != "" || s.Git != "" {
				def = s
			}
			break
		}
		name = s.ReplaceWith
	}
	return def, nil
}

// SourceName is the name Cargo's configuration knows the registry kind+url
// by, as Serving finds it: the [source.<name>] table naming it, else
// crates-io when no [registries] table names it either; "" for a registry
// only [registries] names. Replacing a source goes through that name: Cargo
// refuses a second [source] table for the same registry.
func (c *Config) SourceName(kind, url string) string {
	names := make([]string, 0, len(c.Sources))
	for n := range c.Sources {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if sameURL(c.Sources[n].Registry, kind, url) {
			return n
		}
	}
	for _, idx := range c.Registries {
		if sameURL(idx, kind, url) {
			return ""
		}
	}
	return CratesIO
}

// sameURL reports whether a configured index names the registry kind+url;
// a configured git index has no "registry+" prefix.
func sameURL(configured, kind, url string) bool {
	if configured == "" {
		return false
	}
	c := strings.TrimSuffix(strings.TrimPrefix(configured, "registry+"), "/")
	return c == strings.TrimSuffix(url, "/") && kind == "registry" || c == strings.TrimSuffix(kind+"+"+url, "/")
}
