package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/ansi"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// Warnings shows the diagnostics of path packages' units that the result
// keeps, in dependency order, each followed by Cargo's count line. Units built
// in this run and cached ones alike: Cargo replays the warnings of fresh units.
func Warnings(w io.Writer, p *plan.Plan, result string, color bool) error {
	for _, n := range p.Nodes {
		b, err := os.ReadFile(filepath.Join(result, plan.DiagnosticsPath(n)))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("unit %s: reading its diagnostics: %w", n, err)
		}
		var d job.Diagnostics
		if err := json.Unmarshal(b, &d); err != nil {
			return fmt.Errorf("unit %s: diagnostics: %w", n, err)
		}
		text := d.Rendered
		if !color {
			text = ansi.Strip(text)
		}
		io.WriteString(w, text)
		if d.Warnings > 0 {
			plural := ""
			if d.Warnings > 1 {
				plural = "s"
			}
			line := fmt.Sprintf("`%s` (%s) generated %d warning%s", n.Unit.Package.Name, targetDescription(n.Unit), d.Warnings, plural)
			if color {
				fmt.Fprintf(w, "\x1b[1m\x1b[33mwarning\x1b[0m\x1b[1m: %s\x1b[0m\n", line)
			} else {
				fmt.Fprintf(w, "warning: %s\n", line)
			}
		}
	}
	return nil
}

// targetDescription names a unit's target the way Cargo's messages do:
// lib, bin "app", lib test, test "it", example "demo", build script.
func targetDescription(u *unitgraph.Unit) string {
	t := u.Target
	var desc string
	switch {
	case u.IsBuildScriptCompile() || u.IsBuildScriptRun():
		return "build script"
	case t.IsLib():
		desc = "lib"
	case len(t.Kind) > 0:
		desc = fmt.Sprintf("%s %q", t.Kind[0], t.Name)
	}
	if u.Mode == "test" && (t.IsLib() || t.HasKind("bin")) {
		desc += " test"
	}
	return desc
}
