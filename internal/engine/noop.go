package engine

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
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
	pr := cfg.printer()
	if pr.Verbose {
		for _, u := range st.Result.Units {
			pr.Status("Fresh", u)
		}
	}
	pr.Diagnostics(st.Result.Warnings)
	s := &report.Summary{Out: st.Result.Out, Units: len(st.Result.Units), Cached: len(st.Result.Units),
		Elapsed: time.Since(start), Profile: st.Result.Profile, Traits: st.Result.Traits}
	s.Print(pr)
	printLink(cfg, st.Result.Out)
	report.DocPages(cfg.printer(), cfg.resultBase(st.Result.Out), st.Result.DocPages)
	printResult(cfg, st.Result.Out)
	return true
}

// saveStamp records the finished build for the next run's no-op check, unless
// an input changed while this build read it.
func (s *session) saveStamp(path, out string, start time.Time) {
	cfg, p := s.cfg, s.plan
	cwd, _ := os.Getwd()
	var in cache.Inputs
	dirs := map[string]bool{}
	for _, n := range p.Nodes {
		if pkg := n.Unit.Package; pkg.IsPath() {
			dirs[pkg.Dir()] = true
		}
	}
	for d := range dirs {
		in.Dirs = append(in.Dirs, d)
	}
	sort.Strings(in.Dirs)
	in.Skip = gather.WrittenPaths(p.Input.Graph, cfg.Gather.OutLink)
	in.Files = gather.SettingsFiles(cwd, p.Input.Graph, &cfg.Gather, s.gathered.Toolchain.HostRustc(), s.gathered.Builder.Dir)
	// The walk of Dirs sees files come and go, but not a new member outside them.
	in.Layout = gather.LayoutPaths(p.Input.Graph)

	res := cache.Result{Out: out}
	res.Profile, res.Traits = report.Profile(p)
	if !cfg.NoLink {
		if abs, err := filepath.Abs(cfg.OutLink); err == nil {
			res.OutLink = abs
		}
	}
	for _, n := range p.Nodes {
		res.Units = append(res.Units, n.String())
	}
	res.DocPages = p.DocPages()
	var w bytes.Buffer
	if report.Warnings(&w, p, out, true) == nil {
		res.Warnings = w.String()
	}
	st := &cache.Stamp{Inputs: in, Result: res}
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
