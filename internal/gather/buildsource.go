package gather

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/cache"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/source"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// Cargo compiles a build script again only when a file of its dep-info
// changes, and that is nearly always the build script alone. A path
// package's build-script compile therefore reads a source of the build
// script's file only, when nothing in it can make rustc read another file or
// the package's directory: an edit of src/ then leaves the compile's
// derivation as it was (the run, which sees the whole package, runs again, as
// Cargo's does without rerun-if-changed).

// mayReadMore matches what lets a build script's compile read files besides
// its own (a module, an include!, #[path]) or keep the package's directory
// (env!("CARGO_MANIFEST_DIR")): anywhere but in a line that is only a
// comment, trailing comments and strings included, to err on the side of the
// whole package.
var mayReadMore = regexp.MustCompile(`\bmod\b|include|env!`)

// readsOnlyItself reports whether the text of a build script has nothing
// mayReadMore matches outside its comment lines.
func readsOnlyItself(text []byte) bool {
	for _, line := range bytes.Split(text, []byte("\n")) {
		if bytes.HasPrefix(bytes.TrimSpace(line), []byte("//")) {
			continue
		}
		if mayReadMore.Match(line) {
			return false
		}
	}
	return true
}

// buildScriptFile is the build script's file relative to the package's
// directory when its compile needs no other file of the package, else "".
// A proc-macro among its dependencies may read any file, so it gets the
// whole package too.
func buildScriptFile(g *unitgraph.Graph, u *unitgraph.Unit) (string, error) {
	for _, d := range u.Dependencies {
		if g.Units[d.Index].IsProcMacro() {
			return "", nil
		}
	}
	rel, err := filepath.Rel(u.Package.Dir(), u.Target.SrcPath)
	if err != nil || !filepath.IsLocal(rel) {
		return "", nil
	}
	text, err := os.ReadFile(u.Target.SrcPath)
	if err != nil {
		return "", fmt.Errorf("package %s %s: build script: %w", u.Package.Name, u.Package.Version, err)
	}
	if !readsOnlyItself(text) {
		return "", nil
	}
	return filepath.ToSlash(rel), nil
}

// buildScriptSources puts into in.BuildScriptSources the source of each path
// package's build-script compile that needs only its own file, and returns
// their trees for the store.
func buildScriptSources(in *plan.Input, hashes *cache.HashCache) ([]*source.Tree, error) {
	var trees []*source.Tree
	for i := range in.Graph.Units {
		u := &in.Graph.Units[i]
		pkg := u.Package
		if !pkg.IsPath() || !u.IsBuildScriptCompile() || in.BuildScriptSources[pkg.ID] != nil {
			continue
		}
		file, err := buildScriptFile(in.Graph, u)
		if err != nil || file == "" {
			if err != nil {
				return nil, err
			}
			continue
		}
		name := plan.SanitizeName(pkg.Name + "-" + pkg.Version + "-build-script-source")
		t, err := source.NewTree(pkg.Dir(), name, []string{file}, hashes)
		if err != nil {
			return nil, fmt.Errorf("package %s %s: %w", pkg.Name, pkg.Version, err)
		}
		if in.BuildScriptSources == nil {
			in.BuildScriptSources = map[string]*plan.Source{}
		}
		in.BuildScriptSources[pkg.ID] = planSource(t)
		trees = append(trees, t)
	}
	return trees, nil
}
