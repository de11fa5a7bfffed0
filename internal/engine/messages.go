package engine

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

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

// printDocPages names the documented roots' pages, as Cargo's "Generated"
// line does: the first, and how many others.
func printDocPages(cfg *Config, pages []string, out string) {
	pr := cfg.printer()
	if len(pages) == 0 || pr.Quiet {
		return
	}
	base := out
	if !cfg.NoLink {
		base = cfg.OutLink
	}
	line := filepath.Join(base, pages[0])
	switch n := len(pages) - 1; {
	case n == 1:
		line += " and 1 other file"
	case n > 1:
		line += fmt.Sprintf(" and %d other files", n)
	}
	pr.Status("Generated", line)
}
