package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/cache"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/report"
)

// Build builds what Cargo would build with the same flags, one derivation per
// unit, and reports it as Cargo does.
func Build(ctx context.Context, cfg *Config) error {
	s := newSession(cfg)
	defer s.end()
	_, err := s.build(ctx, true)
	return s.interruption(ctx, err)
}

// build runs every stage up to a finished, reported build and returns the
// result's store path ("" after a dry run). plain marks a build command
// (test runs more after it): only a plain build may replay or leave a stamp.
func (s *session) build(ctx context.Context, plain bool) (string, error) {
	cfg := s.cfg
	start := time.Now()
	cfg.Gather.Start = start
	cwd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	stamp, err := cache.StampPath(cwd, cfg.Args)
	if err != nil {
		return "", err
	}
	if plain && cfg.replayable() && replay(cfg, stamp, start) {
		return "", nil
	}
	if err := s.open(ctx); err != nil {
		return "", err
	}
	if err := s.prepare(ctx); err != nil {
		return "", err
	}
	if err := s.register(ctx); err != nil {
		return "", err
	}
	pr := cfg.printer()
	if cfg.DryRun {
		s.printTimings(false)
		for _, d := range s.plan.Drvs() {
			fmt.Fprintln(cfg.Stdout, d.Path)
		}
		return "", nil
	}
	out, err := s.realise(ctx)
	if err != nil {
		if cfg.CargoMessages && plain {
			s.failureMessages(ctx, err)
		}
		return "", err
	}
	// With --message-format json, diagnostics go to stdout as messages only.
	if !pr.Quiet && !cfg.CargoMessages {
		if err := report.Warnings(pr, s.plan, out, pr.Color); err != nil {
			return "", err
		}
	}
	sum := report.Summarize(s.plan, out, time.Since(start))
	sum.Registered = s.timings.Added
	sum.Print(pr)
	s.printTimings(true)
	printLink(cfg, out)
	report.DocPages(cfg.printer(), cfg.resultBase(out), s.plan.DocPages())
	// The stamp first: the record is written under target/, which its
	// fingerprint watches. A command running more after the build keeps none.
	if plain {
		s.saveStamp(stamp, out, start)
	}
	if err := s.record(); err != nil {
		pr.Warning(err.Error()) // only `graph --why` needs it
		// Without its record a build must not become a no-op: the next run would
		// replay it and never write the record `graph --why` reads.
		cache.RemoveStamp(stamp)
	}
	if !plain {
		return out, nil
	}
	return out, s.printOutputs(ctx, sum)
}

// printOutputs writes what the build's flags ask for on stdout.
func (s *session) printOutputs(ctx context.Context, sum *report.Summary) error {
	cfg := s.cfg
	if !cfg.JSON && !cfg.CargoMessages {
		printResult(cfg, sum.Out)
		return nil
	}
	if _, err := s.resolveOutputs(ctx); err != nil {
		return err
	}
	if cfg.CargoMessages {
		if err := report.CargoMessages(cfg.Stdout, s.plan, cfg.MessageANSI); err != nil {
			return err
		}
	}
	if cfg.JSON {
		link := ""
		if !cfg.NoLink {
			link = cfg.OutLink
		}
		return report.JSON(cfg.Stdout, s.plan, sum, link)
	}
	return nil
}

// printLink says where the result's link points, as nix build would.
func printLink(cfg *Config, out string) {
	if pr := cfg.printer(); !cfg.NoLink && !pr.Quiet {
		pr.Status("Result", cfg.OutLink+" -> "+out)
	}
}

// printResult prints the result's store path on stdout when asked, or when
// there is no link to show it (but a result of the tool's own: check, clippy).
func printResult(cfg *Config, out string) {
	if cfg.PrintOutPaths || cfg.NoLink && !cfg.NoResult {
		fmt.Fprintln(cfg.Stdout, out)
	}
}

func (s *session) printTimings(built bool) {
	if s.cfg.Timings {
		s.timings.Print(s.cfg.printer(), len(s.plan.Nodes), built)
	}
}

// interruption turns an error of a cancelled command into an
// *InterruptedError naming the stage it stopped.
func (s *session) interruption(ctx context.Context, err error) error {
	var ie *InterruptedError
	if err != nil && ctx.Err() != nil && !errors.As(err, &ie) {
		return &InterruptedError{Stage: s.stage, Done: -1, Err: err}
	}
	return err
}

// InterruptedError is a run cancelled by a signal; what Nix finished stays in the
// store, so the next run continues from there.
type InterruptedError struct {
	Stage       string // "building"
	Done, Total int    // units built (now or before); Done is -1 when unknown
	Err         error
}

func (e *InterruptedError) Error() string {
	if e.Done < 0 {
		return fmt.Sprintf("interrupted while %s; run the command again to continue", e.Stage)
	}
	return fmt.Sprintf("interrupted while %s (%d of %d units done); run the command again to continue", e.Stage, e.Done, e.Total)
}

func (e *InterruptedError) Unwrap() error { return e.Err }
