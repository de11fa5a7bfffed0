package engine

import (
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/incremental"
)

// incrementalMount prepares the persistent incremental directories of the
// units Cargo compiles incrementally and returns the extra-sandbox-paths
// entry that shows them to the builds: a build setting, so the derivations
// are the same with it or without it. "" when no unit needs one, or (with a
// warning) when they cannot be prepared: the builder then compiles from scratch.
func (s *session) incrementalMount() string {
	var dirs []string
	for _, n := range s.plan.Nodes {
		if n.Job.Incremental != "" {
			dirs = append(dirs, n.Job.Incremental)
		}
	}
	target := s.plan.Input.Graph.Workspace.TargetDirectory
	if len(dirs) == 0 || target == "" {
		return ""
	}
	mount, err := incremental.Prepare(incremental.Root(target), dirs, time.Now())
	if err != nil {
		s.cfg.printer().Warning("cannot keep incremental compilation state: " + err.Error() + "; units compile from scratch")
		return ""
	}
	return mount
}
