package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/buildscript"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/native"
	"path/filepath"
	"sort"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/manifest"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// Toolchain describes the compiler the jobs run.
type Toolchain struct {
	Rustc   string // absolute path of the real rustc (not a rustup proxy)
	Rustdoc string
	Cargo   string // the CARGO variable: Cargo of the same toolchain
	Linker  string // absolute path given as -C linker=; "" leaves rustc's default
	Host    string // host triple
	Version string // `rustc -vV`, part of every unit's hash
	// Cfg maps a target triple ("" for the host) to `rustc --print cfg` lines,
	// without debug_assertions (that one follows the profile).
	Cfg  map[string][]string
	Path string // PATH for every process the jobs run
}

// Context is everything planning needs besides the unit itself.
type Context struct {
	Graph     *unitgraph.Graph
	Toolchain Toolchain
	// Sources maps a package id to the store path of its source directory.
	Sources map[string]string
	// Primary holds the ids of the packages the user selected (CARGO_PRIMARY_PACKAGE).
	Primary map[string]bool
	// Rustflags maps a unit's platform ("" for host units) to the flags Cargo adds
	// to its rustc call from RUSTFLAGS or its configuration (build.rustflags,
	// target.<t>.rustflags); build scripts see them as CARGO_ENCODED_RUSTFLAGS.
	Rustflags map[string][]string
	// Native maps a package name to the native inputs declared for it
	// ([package.metadata.nix-unit], nix-unit.toml).
	Native map[string]*native.Inputs
	// LinksOverrides maps a target triple and a `links` name to the output that
	// Cargo's configuration gives instead of running that package's build script.
	LinksOverrides map[string]map[string]*buildscript.Output
	// ConfigEnv is the [env] table of Cargo's configuration, as it applies:
	// rustc and build scripts get each variable Cargo does not set itself.
	ConfigEnv map[string]string
	// Linkers maps a unit's platform ("" for host units) to the linker Cargo's
	// configuration names for it (target.<t>.linker), as an absolute path; a
	// platform without one uses Toolchain.Linker.
	Linkers map[string]string
	// Manifests maps a package id to what its Cargo.toml says beyond cargo
	// metadata ([lints], harness); a package without one has neither.
	Manifests map[string]*manifest.Manifest
	// ProfileInherits maps each custom profile to the one it inherits from: a
	// build script's PROFILE follows the chain to release or debug.
	ProfileInherits map[string]string

	hashes map[int]string
	lto    map[int]ltoMode
}

// NewContext prepares planning for g.
func NewContext(g *unitgraph.Graph, tc Toolchain, sources map[string]string) *Context {
	primary := map[string]bool{}
	for _, r := range g.Roots {
		primary[g.Units[r].PkgID] = true
	}
	return &Context{Graph: g, Toolchain: tc, Sources: sources, Primary: primary, hashes: map[int]string{}}
}

// SourceOf is the source store path unit u reads.
func (c *Context) SourceOf(u *unitgraph.Unit) string {
	return c.Sources[u.PkgID]
}

// Hash is a unit's stable identity, 16 hex digits, used for -C metadata and
// -C extra-filename. Like Cargo's it covers the package, target, mode, profile,
// features, platform, compiler and the hashes of dependencies; unlike Cargo's it
// names path packages by name and version, not by absolute path, so a checkout in
// another directory gets the same derivations.
func (c *Context) Hash(i int) string {
	if h, ok := c.hashes[i]; ok {
		return h
	}
	u := &c.Graph.Units[i]
	h := sha256.New()
	fmt.Fprintf(h, "pkg=%s\n", c.stableID(u.Package))
	fmt.Fprintf(h, "target=%s %v %v %s\n", u.Target.Name, u.Target.Kind, u.Target.CrateTypes, u.Target.Edition)
	fmt.Fprintf(h, "mode=%s\nfeatures=%v\nplatform=%s\n", u.Mode, u.Features, unitPlatform(u))
	fmt.Fprintf(h, "profile=%+v\n", u.Profile)
	fmt.Fprintf(h, "rustflags=%q\n", c.Rustflags[unitPlatform(u)])
	fmt.Fprintf(h, "rustc=%s\n", c.Toolchain.Version)
	deps := make([]string, 0, len(u.Dependencies))
	for _, d := range u.Dependencies {
		deps = append(deps, d.ExternCrateName+"="+c.Hash(d.Index))
	}
	sort.Strings(deps)
	fmt.Fprintf(h, "deps=%v\n", deps)
	sum := hex.EncodeToString(h.Sum(nil))[:16]
	c.hashes[i] = sum
	return sum
}

func (c *Context) stableID(p *unitgraph.Package) string {
	if p.IsPath() {
		rel, err := filepath.Rel(c.Graph.Workspace.WorkspaceRoot, p.Dir())
		if err != nil || strings.HasPrefix(rel, "..") {
			rel = "(outside)"
		}
		return fmt.Sprintf("path %s %s %s", p.Name, p.Version, rel)
	}
	return fmt.Sprintf("%s %s %s", unitgraph.Str(p.Source), p.Name, p.Version)
}

func unitPlatform(u *unitgraph.Unit) string {
	if u.Platform == nil {
		return ""
	}
	return *u.Platform
}

// DrvName names a unit's derivation: "<package>-<version>-<what>".
func DrvName(u *unitgraph.Unit) string {
	what := u.Kind()
	switch what {
	case "lib", "proc-macro", "build-script", "build-script-run":
		if u.Target.CrateName() != strings.ReplaceAll(u.Package.Name, "-", "_") && !strings.HasPrefix(what, "build-script") {
			what += "-" + u.Target.Name
		}
	default:
		what += "-" + u.Target.Name
	}
	return SanitizeName(fmt.Sprintf("%s-%s-%s", u.Package.Name, u.Package.Version, what))
}

// SanitizeName keeps only the characters Nix allows in store path names.
func SanitizeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("+-._?=", r):
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	out := strings.TrimLeft(b.String(), ".")
	if len(out) > 200 {
		out = out[:200]
	}
	return out
}
