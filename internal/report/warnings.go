package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

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
		d, err := readDiagnostics(filepath.Join(result, plan.DiagnosticsPath(n)))
		if err != nil {
			return fmt.Errorf("unit %s: %w", n, err)
		}
		if d == nil {
			continue
		}
		text := d.Rendered
		if !color {
			text = ansi.Strip(text)
		}
		io.WriteString(w, text)
		if d.Warnings > 0 {
			line := warningCount(n, d, p.Input.Clippy)
			if color {
				fmt.Fprintf(w, "\x1b[1m\x1b[33mwarning\x1b[0m\x1b[1m: %s\x1b[0m\n", line)
			} else {
				fmt.Fprintf(w, "warning: %s\n", line)
			}
		}
	}
	return nil
}

// readDiagnostics reads a unit's kept diagnostics; nil if it kept none.
func readDiagnostics(path string) (*job.Diagnostics, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading its diagnostics: %w", err)
	}
	var d job.Diagnostics
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("diagnostics: %w", err)
	}
	return &d, nil
}

// warningCount is Cargo's line after a unit's warnings, with the command that
// applies their machine-applicable suggestions (cargo: core/compiler/
// job_queue/mod.rs, report_warning_count): "`greeter` (lib) generated 2
// warnings (run `cargo fix --lib -p greeter` to apply 1 suggestion)".
func warningCount(n *plan.Node, d *job.Diagnostics, clippy *plan.Clippy) string {
	u := n.Unit
	line := fmt.Sprintf("`%s` (%s) generated %d warning%s", u.Package.Name, targetDescription(u), d.Warnings, Plural(d.Warnings, ""))
	fixable := fixableWarnings(d.Messages)
	if fixable == 0 || !u.Package.IsPath() || u.IsBuildScriptCompile() || u.Mode == "doc" {
		return line
	}
	args := targetFlag(u.Target)
	if u.Target.IsLib() {
		args += " -p " + u.Package.Name
	}
	if u.IsRustcTest() && !u.Target.HasKind("test") && !u.Target.HasKind("bench") {
		args += " --tests"
	}
	command := "cargo fix " + args
	if clippy != nil {
		command = "cargo clippy --fix " + args + " -- " + strings.Join(clippy.Args, " ")
	}
	return line + fmt.Sprintf(" (run `%s` to apply %d suggestion%s)", command, fixable, Plural(fixable, ""))
}

// targetFlag selects a target on Cargo's command line: --lib, --bin "app".
func targetFlag(t unitgraph.Target) string {
	if t.IsLib() {
		return "--lib"
	}
	kind := "bin"
	if len(t.Kind) > 0 {
		kind = t.Kind[0]
	}
	return fmt.Sprintf("--%s %q", kind, t.Name)
}

// fixableWarnings counts the warnings with a suggestion rustc can apply on its
// own (cargo: a child span with suggestion_applicability MachineApplicable).
func fixableWarnings(messages []json.RawMessage) int {
	type span struct {
		Applicability string `json:"suggestion_applicability"`
	}
	var n int
	for _, m := range messages {
		var msg struct {
			Level    string `json:"level"`
			Children []struct {
				Spans []span `json:"spans"`
			} `json:"children"`
		}
		if json.Unmarshal(m, &msg) != nil || msg.Level != "warning" {
			continue
		}
	children:
		for _, c := range msg.Children {
			for _, s := range c.Spans {
				if s.Applicability == "MachineApplicable" {
					n++
					break children
				}
			}
		}
	}
	return n
}

// targetDescription names a unit's target the way Cargo's messages do:
// lib, bin "app", lib test, test "it", example "demo", build script, lib doc.
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
	switch {
	case u.Mode == "doc":
		desc += " doc"
	case (u.Mode == "test" || u.CheckTest) && (t.IsLib() || t.HasKind("bin")):
		desc += " test"
	}
	return desc
}
