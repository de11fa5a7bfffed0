package report

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/ansi"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
)

// rustc: "couldn't read `app/src/../../README.md`: No such file or directory (os error 2)".
var couldntReadRe = regexp.MustCompile("couldn't read `([^`]+)`: No such file or directory")

// A build script writing into its source: the store is read-only in the sandbox
// (os error 13, or 30 on a read-only mount).
var readOnlyRe = regexp.MustCompile(`Permission denied|PermissionDenied|Read-only file system|ReadOnlyFilesystem`)

// FailureNote explains a failure that comes from building n from a read-only
// copy of its package in the store rather than from the package directory,
// as Cargo does: a file read from outside the package, or a build script
// writing into its source. root is the workspace root; "" when the log shows
// neither.
func FailureNote(n *plan.Node, root string, log []string) string {
	u := n.Unit
	if u == nil || n.Source == nil {
		return ""
	}
	pkg := u.Package
	if !pkg.IsPath() {
		return "" // a published package cannot reach outside itself
	}
	text := ansi.Strip(strings.Join(log, "\n"))
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
	base := root
	if rel, err := filepath.Rel(root, pkg.Dir()); err != nil || strings.HasPrefix(rel, "..") {
		base = pkg.Dir()
	}
	file := m[1]
	if src := n.Source.Path; src != "" && strings.HasPrefix(file, src+"/") {
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
