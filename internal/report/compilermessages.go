package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/ansi"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// messages writes Cargo's --message-format json lines.
type messages struct {
	enc  *json.Encoder
	ansi bool
	// hostPaths turns the store paths of package sources, which rustc saw in
	// the sandbox, back into the directories Cargo would name.
	hostPaths *strings.Replacer
}

func newMessages(w io.Writer, p *plan.Plan, ansi bool) *messages {
	var pairs []string
	for _, sources := range []map[string]*plan.Source{p.Input.Sources, p.Input.BuildScriptSources} {
		for _, s := range sources {
			if s.Path != "" {
				pairs = append(pairs, s.Path, s.Dir)
			}
		}
	}
	return &messages{enc: json.NewEncoder(w), ansi: ansi, hostPaths: strings.NewReplacer(pairs...)}
}

// compilerMessage is Cargo's message for one of rustc's diagnostics (cargo:
// core/compiler/machine_message.rs, FromCompiler).
type compilerMessage struct {
	Reason       string           `json:"reason"`
	PackageID    string           `json:"package_id"`
	ManifestPath string           `json:"manifest_path"`
	Target       unitgraph.Target `json:"target"`
	Message      json.RawMessage  `json:"message"`
}

// diagnostics prints the diagnostics n's output keeps.
func (m *messages) diagnostics(n *plan.Node) error {
	d, err := readDiagnostics(job.DiagnosticsFile(n.Out))
	if err != nil {
		return fmt.Errorf("unit %s: %w", n, err)
	}
	if d == nil {
		return nil
	}
	return m.compilerMessages(n.Unit, d.Messages)
}

// compilerMessages prints rustc's diagnostics of u as Cargo does: without
// colours in "rendered" unless asked (cargo: core/compiler/mod.rs,
// on_stderr_line_inner), and with host paths.
func (m *messages) compilerMessages(u *unitgraph.Unit, diags []json.RawMessage) error {
	for _, raw := range diags {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal([]byte(m.hostPaths.Replace(string(raw))), &fields); err != nil {
			return fmt.Errorf("unit %s: a diagnostic: %w", u, err)
		}
		if r, ok := fields["rendered"]; ok && !m.ansi {
			var text string
			if json.Unmarshal(r, &text) == nil {
				fields["rendered"], _ = json.Marshal(ansi.Strip(text))
			}
		}
		msg, err := json.Marshal(fields)
		if err != nil {
			return err
		}
		if err := m.enc.Encode(compilerMessage{Reason: "compiler-message", PackageID: u.PkgID,
			ManifestPath: u.Package.ManifestPath, Target: u.Target, Message: msg}); err != nil {
			return err
		}
	}
	return nil
}

// finished ends the messages as Cargo does.
func (m *messages) finished(success bool) error {
	return m.enc.Encode(map[string]any{"reason": "build-finished", "success": success})
}

// CargoFailureMessages prints what `--message-format json` prints for a
// failed build: the messages of the units that finished (done reports those),
// the diagnostics of the failed ones, which their builders printed again to
// the log (job.DiagnosticPrefix), and build-finished false.
func CargoFailureMessages(w io.Writer, p *plan.Plan, done func(*plan.Node) bool, failed []Failure, ansi bool) error {
	m := newMessages(w, p, ansi)
	for _, n := range p.Nodes {
		if done(n) {
			if err := m.unit(n); err != nil {
				return err
			}
		}
	}
	sort.SliceStable(failed, func(a, b int) bool { return failed[a].Label < failed[b].Label })
	for _, f := range failed {
		if f.Node == nil {
			continue
		}
		var diags []json.RawMessage
		for _, l := range f.Log {
			if d, ok := strings.CutPrefix(l, job.DiagnosticPrefix); ok {
				diags = append(diags, json.RawMessage(d))
			}
		}
		if err := m.compilerMessages(f.Node.Unit, diags); err != nil {
			return err
		}
	}
	return m.finished(false)
}

// ReplayedDiagnostic reports a log line that repeats a diagnostic for the
// machine (job.DiagnosticPrefix): people have read it rendered already.
func ReplayedDiagnostic(line string) bool { return strings.HasPrefix(line, job.DiagnosticPrefix) }

// Verb is Cargo's status word for starting a unit: Checking, Documenting, Compiling.
func Verb(n *plan.Node) string {
	switch n.Unit.Mode {
	case "check":
		return "Checking"
	case "doc":
		return "Documenting"
	}
	return "Compiling"
}
