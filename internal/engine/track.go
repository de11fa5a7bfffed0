package engine

import (
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/ansi"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/nixbuild"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/report"
)

// tracker follows a nix build of nodes, each cached until the log says
// otherwise. nodeOf finds the node of a derivation the log names: Nix builds a
// content-addressed derivation as the derivation it resolves to, and its log
// names that one. With -L every log line is shown after its unit's name, but
// for the diagnostics the report shows again when skipReplayed.
func (s *session) tracker(nodes []*plan.Node, skipReplayed bool) (t *nixbuild.Tracker, byDrv map[string]*plan.Node, nodeOf func(drv string) *plan.Node) {
	byDrv = make(map[string]*plan.Node, len(nodes))
	for _, n := range nodes {
		byDrv[n.Drv.Path] = n
		n.Status, n.Time = plan.StatusCached, 0
	}
	t = nixbuild.NewTracker()
	nodeOf = func(drv string) *plan.Node { return byDrv[t.Original(drv)] }
	if pr := s.cfg.printer(); s.cfg.BuildLogs {
		t.OnLog = func(drv, line string) {
			if skipReplayed && report.ReplayedDiagnostic(line) {
				return
			}
			if !pr.Color {
				line = ansi.Strip(line)
			}
			name := nixbuild.DrvName(drv)
			if n := nodeOf(drv); n != nil {
				name = n.Name
			}
			pr.Line(name + "> " + line)
		}
	}
	return t, byDrv, nodeOf
}

// running names the nodes being built, for a progress bar.
func running(t *nixbuild.Tracker, nodeOf func(string) *plan.Node, name func(*plan.Node) string) []string {
	var names []string
	for _, drv := range t.Running {
		if n := nodeOf(drv); n != nil {
			names = append(names, name(n))
		}
	}
	return names
}
