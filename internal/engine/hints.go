package engine

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
)

// rustc: "couldn't read `app/src/../../README.md`: No such file or directory (os error 2)".
var couldntReadRe = regexp.MustCompile("couldn't read `([^`]+)`: No such file or directory")

// A build script writing into its source: the store is read-only in the sandbox
// (os error 13, or 30 on a read-only mount).
var readOnlyRe = regexp.MustCompile(`Permission denied|PermissionDenied|Read-only file system|ReadOnlyFilesystem`)

// failureNote explains a failure that comes from building unit i from a
// read-only copy of its package in the store rather than from the package
// directory, as Cargo does: a file read from outside the package, or a build
// script writing into its source. "" when the log shows neither.
func (p *Plan) failureNote(i int, log []string) string {
	u := &p.Graph.Units[i]
	pkg := u.Package
	if !pkg.IsPath() {
		return "" // a published package cannot reach outside itself
	}
	text := stripANSI(strings.Join(log, "\n"))
	if u.IsBuildScriptRun() {
		if readOnlyRe.MatchString(text) {
			return fmt.Sprintf("note: %s's build script runs in its package's source, a read-only copy in the Nix store: write generated files into OUT_DIR", pkg.Name)
		}
		return ""
	}
	m := couldntReadRe.FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	// rustc runs where the workspace root would be for packages inside it,
	// and in the package's source otherwise (see plan: rustcJob).
	root := p.Graph.Workspace.WorkspaceRoot
	base := root
	if rel, err := filepath.Rel(root, pkg.Dir()); err != nil || strings.HasPrefix(rel, "..") {
		base = pkg.Dir()
	}
	file := m[1]
	if src := p.planner.SourceOf(u); strings.HasPrefix(file, src+"/") {
		file = pkg.Dir() + strings.TrimPrefix(file, src)
	}
	if !filepath.IsAbs(file) {
		file = filepath.Join(base, file)
	}
	file = filepath.Clean(file)
	if rel, err := filepath.Rel(pkg.Dir(), file); err == nil && !strings.HasPrefix(rel, "..") {
		return "" // inside: missing for another reason
	}
	shown := file
	if rel, err := filepath.Rel(root, file); err == nil {
		shown = rel
	}
	return fmt.Sprintf("note: %s is outside package %s, whose source is a read-only copy in the Nix store holding only the package's own files: move the file into the package", shown, pkg.Name)
}
