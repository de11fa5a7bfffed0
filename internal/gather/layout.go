package gather

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/manifest"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// discoveryDirs are the directories Cargo searches for targets of a package it
// was not told about in Cargo.toml (cargo: util/toml/targets.rs, infer_from_directory):
// <dir>/*.rs and <dir>/<name>/main.rs.
var discoveryDirs = []string{"src/bin", "examples", "tests", "benches"}

// LayoutPaths lists the paths whose presence decides Cargo's plan without
// any manifest changing (see noop.Presence): for every path package, build.rs,
// src/main.rs and src/lib.rs and the directories Cargo discovers targets in
// (and the main.rs of their subdirectories), and the directories a `members`
// glob of the workspace searches, where a new member appears.
func LayoutPaths(g *unitgraph.Graph) []string {
	paths := map[string]bool{}
	for _, p := range g.Workspace.Packages {
		if !p.IsPath() {
			continue
		}
		dir := p.Dir()
		for _, f := range []string{"build.rs", "src/main.rs", "src/lib.rs"} {
			paths[filepath.Join(dir, f)] = true
		}
		for _, d := range discoveryDirs {
			d = filepath.Join(dir, d)
			paths[d] = true
			entries, _ := os.ReadDir(d)
			for _, e := range entries {
				if e.IsDir() {
					paths[filepath.Join(d, e.Name(), "main.rs")] = true
				}
			}
		}
	}
	root := g.Workspace.WorkspaceRoot
	members, _ := manifest.WorkspaceMembers(filepath.Join(root, "Cargo.toml"))
	for _, m := range members {
		for _, d := range globDirs(root, m) {
			paths[d] = true
		}
		if matches, _ := filepath.Glob(filepath.Join(root, m)); len(matches) > 0 {
			for _, d := range matches {
				paths[filepath.Join(d, "Cargo.toml")] = true
			}
		}
	}
	out := make([]string, 0, len(paths))
	for p := range paths {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// globDirs lists the directories whose entries decide what pattern matches
// below root: for "crates/*", crates; for "a/*/b/*", a and every a/*/b.
func globDirs(root, pattern string) []string {
	parts := strings.Split(filepath.ToSlash(pattern), "/")
	var dirs []string
	for i, part := range parts {
		if !strings.ContainsAny(part, `*?[\`) {
			continue
		}
		prefix := filepath.Join(append([]string{root}, parts[:i]...)...)
		if !strings.ContainsAny(strings.Join(parts[:i], "/"), `*?[\`) {
			dirs = append(dirs, prefix) // watched even while missing
			continue
		}
		matches, _ := filepath.Glob(prefix)
		dirs = append(dirs, matches...)
	}
	return dirs
}
