package engine

import (
	"context"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testrun"
)

// Test builds the test executables as Build does, then runs them on the host
// as `cargo test` does, with args.
func Test(ctx context.Context, cfg *Config, args []string, noFailFast bool) error {
	s := newSession(cfg)
	defer s.end()
	out, err := s.build(ctx, false)
	if err != nil || cfg.DryRun {
		return s.interruption(ctx, err)
	}
	s.stage = "running"
	tc := s.gathered.Toolchain
	runs := testrun.Runs(s.plan, out, testrun.Toolchain{Sysroot: tc.Sysroot, Host: tc.Host, Cargo: tc.Cargo})
	err = testrun.All(ctx, runs, args, noFailFast, cfg.printer(), cfg.Stdout, cfg.Stderr)
	return s.interruption(ctx, err)
}
