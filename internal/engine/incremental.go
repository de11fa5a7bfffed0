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
func (p *Plan) incrementalMount(pr *Printer) string {
	if len(p.IncrementalDirs) == 0 || p.Graph.Workspace.TargetDirectory == "" {
		return ""
	}
	root := incremental.Root(p.Graph.Workspace.TargetDirectory)
	mount, err := incremental.Prepare(root, p.IncrementalDirs, time.Now())
	if err != nil {
		pr.Warning("cannot keep incremental compilation state: " + err.Error() + "; units compile from scratch")
		return ""
	}
	return mount
}
