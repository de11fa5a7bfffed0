package report

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/ansi"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
)

// BuildError is a failed unit build or test run; the command exits with
// Cargo's status 101, or Code when set (a test's own exit status, as Cargo
// passes it on without --no-fail-fast).
type BuildError struct {
	Msg   string
	Units []Failure // the units that failed
	Code  int
}

func (e *BuildError) Error() string { return e.Msg }

// Failure is one unit whose builder failed.
type Failure struct {
	Label string     // "greeter v0.2.1 (lib)"
	Node  *plan.Node // the unit, nil when the derivation is not one of the plan's
	Drv   string     // its derivation
	Log   []string   // what its builder printed: rustc's diagnostics, a build script's stderr
	Note  string     // one line after the log saying why, if known (FailureNote)
}

// Failed shows each failure with its log, its derivation and how to see the
// whole log, as one error.
func Failed(units []Failure, color bool) *BuildError {
	var b strings.Builder
	for k, f := range units {
		if k > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "could not build %s\n", f.Label)
		for _, l := range f.Log {
			if ReplayedDiagnostic(l) {
				continue
			}
			if !color {
				l = ansi.Strip(l)
			}
			fmt.Fprintf(&b, "%s\n", l)
		}
		if f.Note != "" {
			fmt.Fprintf(&b, "%s\n", f.Note)
		}
		fmt.Fprintf(&b, "derivation: %s\nfull log: nix log %s", f.Drv, f.Drv)
	}
	return &BuildError{Msg: b.String(), Units: units}
}

// FailedBuilds is Failed for the derivations whose builders failed (drvs)
// with their build logs, the plan's units first, ordered by key, so that
// --keep-going lists the same failures in the same order whichever Nix
// finished first; then the others in Nix's order. Each is labelled as its node (nodeOf),
// with a note on why when the log shows it (FailureNote; root is the workspace
// root), or by name (drvName) when it is no node of the plan. It shows the
// units' own output (rustc's diagnostics, a build script's stderr) instead of
// Nix's last-ten-lines summary.
func FailedBuilds(drvs []string, logs map[string][]string, nodeOf func(drv string) *plan.Node, drvName func(drv string) string, root string, color bool) *BuildError {
	units := make([]Failure, 0, len(drvs))
	for _, drv := range drvs {
		f := Failure{Label: drvName(drv), Drv: drv, Log: logs[drv]}
		if n := nodeOf(drv); n != nil {
			f.Label, f.Node = n.String(), n
			f.Note = FailureNote(n, root, f.Log)
		}
		units = append(units, f)
	}
	sort.SliceStable(units, func(a, b int) bool {
		na, nb := units[a].Node, units[b].Node
		return na != nil && (nb == nil || na.Key < nb.Key)
	})
	return Failed(units, color)
}
