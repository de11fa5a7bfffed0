package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// planner holds what planning the units of one Input shares.
type planner struct {
	*Input
	Graph *unitgraph.Graph
	// Primary holds the ids of the packages the user selected (CARGO_PRIMARY_PACKAGE).
	Primary map[string]bool

	hashes map[int]string
	lto    map[int]ltoMode
}

func newPlanner(in *Input) *planner {
	g := in.Graph
	primary := map[string]bool{}
	for _, r := range g.Roots {
		primary[g.Units[r].PkgID] = true
	}
	return &planner{Input: in, Graph: g, Primary: primary, hashes: map[int]string{}}
}

// source is the source unit u reads, nil if the package has none: the
// package's whole source for every unit, build-script runs included, as under
// Cargo; a build-script compile reads its own file alone when gather found it
// needs no other (Input.BuildScriptSources).
func (c *planner) source(u *unitgraph.Unit) *Source {
	if s := c.BuildScriptSources[u.PkgID]; s != nil && u.IsBuildScriptCompile() {
		return s
	}
	return c.Sources[u.PkgID]
}

// sourceOf is the ref of the source unit u reads, "" if the package has none.
func (c *planner) sourceOf(u *unitgraph.Unit) string {
	if s := c.source(u); s != nil {
		return SourceRef(s.Name)
	}
	return ""
}

// Hash is a unit's stable identity, 16 hex digits, used for -C metadata and
// -C extra-filename. Like Cargo's it covers the package, target, mode, profile,
// features, platform, compiler and the hashes of dependencies; unlike Cargo's it
// names path packages by name and version, not by absolute path, so a checkout in
// another directory gets the same derivations.
func (c *planner) Hash(i int) string {
	if h, ok := c.hashes[i]; ok {
		return h
	}
	u := &c.Graph.Units[i]
	h := sha256.New()
	fmt.Fprintf(h, "pkg=%s\n", c.stableID(u.Package))
	fmt.Fprintf(h, "target=%s %v %v %s\n", u.Target.Name, u.Target.Kind, u.Target.CrateTypes, u.Target.Edition)
	fmt.Fprintf(h, "mode=%s\nfeatures=%v\nplatform=%s\n", u.Mode, u.Features, unitPlatform(u))
	// The profile's name is left out, as in Cargo's Profile::comparable: `test`
	// (cargo test) and `dev` (cargo build) units with equal settings are the
	// same units, so build and test share them. A build script's PROFILE follows
	// the name's root, which is in its job.
	prof := u.Profile
	prof.Name = ""
	fmt.Fprintf(h, "profile=%+v\n", prof)
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

func (c *planner) stableID(p *unitgraph.Package) string {
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
