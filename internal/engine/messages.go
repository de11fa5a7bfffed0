package engine

import (
	"context"
	"errors"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/report"
)

// failureMessages prints, for --message-format json, what Cargo prints when a
// unit fails: the messages of every unit the store holds, the failed units'
// diagnostics and build-finished false. rust-analyzer reads the errors from
// there. Printing is best effort: the build's error is what the command returns.
func (s *session) failureMessages(ctx context.Context, err error) {
	var be *report.BuildError
	if !errors.As(err, &be) || ctx.Err() != nil {
		return
	}
	st, qerr := s.resolveOutputs(ctx)
	done := func(n *plan.Node) bool { return qerr == nil && st.Cached[n.Drv.Path] }
	if werr := report.CargoFailureMessages(s.cfg.Stdout, s.plan, done, be.Units, s.cfg.MessageANSI); werr != nil {
		s.cfg.printer().Warning("writing the JSON messages: " + werr.Error())
	}
}
