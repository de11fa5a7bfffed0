package engine

import (
	"os"
	"path/filepath"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/cache"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/gather"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/report"
)

// A build whose inputs are unchanged since the last one ends as that one did,
// without asking Cargo or Nix: the stamp of the last build says how.

// replayable reports whether this command may end as the last one did: only a
// plain build prints nothing the stamp lacks.
func (c *Config) replayable() bool {
	return !c.DryRun && !c.JSON && !c.CargoMessages && !c.Gather.NoCache
}

// replay finishes a build as the stamp at path recorded it, if the stamp
// still describes the workspace.
func replay(cfg *Config, path string, start time.Time) bool {
	st := cache.LoadStamp(path)
	if !st.Fresh(cfg.Args, cfg.Environ) {
		return false
	}
	report.Replayed(cfg.printer(), &st.Result, time.Since(start))
	printLink(cfg, st.Result.Out)
	report.DocPages(cfg.printer(), cfg.resultBase(st.Result.Out), st.Result.DocPages)
	printResult(cfg, st.Result.Out)
	return true
}

// saveStamp records the finished build for the next run's no-op check, unless
// an input changed while this build read it.
func (s *session) saveStamp(path, out string, start time.Time) {
	cfg, g := s.cfg, s.plan.Input.Graph
	cwd, _ := os.Getwd()
	in := cache.Inputs{
		Dirs:  s.plan.PackageDirs(),
		Skip:  gather.WrittenPaths(g, cfg.Gather.OutLink),
		Files: gather.SettingsFiles(cwd, g, &cfg.Gather, s.gathered.Toolchain.HostRustc(), s.gathered.Builder.Dir),
		// The walk of Dirs sees files come and go, but not a new member outside them.
		Layout: gather.LayoutPaths(g),
	}
	link := ""
	if !cfg.NoLink {
		if abs, err := filepath.Abs(cfg.OutLink); err == nil {
			link = abs
		}
	}
	st := &cache.Stamp{Inputs: in, Result: report.StampResult(s.plan, out, link)}
	key, newest, err := cache.Fingerprint(cfg.Args, cfg.Environ, in)
	if err != nil || !newest.Before(start) {
		cache.RemoveStamp(path)
		return
	}
	st.Key = key
	if err := st.Save(path); err != nil {
		cfg.printer().Warning("cannot record this build for the next no-op check: " + err.Error())
	}
}
