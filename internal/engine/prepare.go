package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/derivation"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/noop"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/source"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/toolchain"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// BuilderName is the builder executable's name, installed next to cargo-nix-unit.
const BuilderName = "cargo-nix-unit-builder"

// Plan is a workspace turned into derivations, ready to register and build.
type Plan struct {
	Graph     *unitgraph.Graph
	Toolchain *toolchain.Toolchain
	Sources   []*source.Tree    // one per package, sorted by store path
	Builder   *source.Tree      // the builder executable
	Units     []*derivation.Drv // index-aligned with Graph.Units
	Order     []int             // unit indices, dependencies first
	Root      *derivation.Drv   // collects the binaries
	CA        bool

	// HostPaths are the sandbox paths declared as native inputs of the
	// packages in the plan, each once.
	HostPaths []string

	// Timings split the tool's time: Cargo's answers, then the tool's own planning.
	Timings struct{ Cargo, Plan time.Duration }

	planner *plan.Context
}

// Prepare asks Cargo for the graph and writes every derivation (in memory).
func Prepare(ctx context.Context, cfg *Config) (*Plan, error) {
	start := time.Now()
	if cfg.Start.IsZero() {
		cfg.Start = start
	}
	g, tc, err := loadGraph(ctx, cfg)
	if err != nil {
		return nil, err
	}
	cargoDone := time.Now()
	hashes := openHashCache(cfg)
	defer hashes.Save()
	builder, err := findBuilder(cfg.BuilderPath, hashes)
	if err != nil {
		return nil, err
	}
	p := &Plan{Graph: g, Toolchain: tc, Builder: builder, CA: cfg.CA}
	p.Timings.Cargo = cargoDone.Sub(start)

	srcs := map[string]string{}
	lister := &source.Lister{Cache: hashes, Exclude: writtenPaths(g, cfg)}
	for _, u := range g.Units {
		pkg := u.Package
		if _, ok := srcs[pkg.ID]; ok {
			continue
		}
		name := plan.SanitizeName(pkg.Name + "-" + pkg.Version + "-source")
		t, err := lister.Select(ctx, pkg.Dir(), name)
		if err != nil {
			return nil, fmt.Errorf("package %s %s: %w", pkg.Name, pkg.Version, err)
		}
		srcs[pkg.ID] = t.Path
		p.Sources = append(p.Sources, t)
	}
	sort.Slice(p.Sources, func(i, j int) bool { return p.Sources[i].Path < p.Sources[j].Path })

	// Every unit of a package reads the package's whole source, build scripts
	// too (a build.rs may include!("src/shared.rs")), as under Cargo.
	pc := plan.NewContext(g, tc.Toolchain, srcs)
	if err := Configure(ctx, pc, tc, cfg.Query.Dir); err != nil {
		return nil, err
	}
	p.planner = pc
	w := derivation.NewWriter(derivation.Options{CA: cfg.CA, System: cfg.System, Builder: builder.Path, InputSrcs: tc.StorePaths})
	if p.Order, err = g.TopoOrder(); err != nil {
		return nil, err
	}
	p.Units = make([]*derivation.Drv, len(g.Units))
	for _, i := range p.Order {
		used := map[int]bool{}
		j, err := pc.Job(i, func(dep int) string { used[dep] = true; return p.Units[dep].Ref })
		if err != nil {
			return nil, err
		}
		u := &g.Units[i]
		srcs := []string{pc.SourceOf(u)}
		if in := pc.Native[u.Package.Name]; in != nil {
			srcs = append(srcs, in.Store...)
			for _, h := range in.SandboxPaths {
				if !slices.Contains(p.HostPaths, h) {
					p.HostPaths = append(p.HostPaths, h)
				}
			}
		}
		d, err := w.Write(plan.DrvName(u), j, srcs, p.depDrvs(used))
		if err != nil {
			return nil, fmt.Errorf("unit %s: %w", u, err)
		}
		p.Units[i] = d
	}
	if p.Root, err = p.writeRoot(w); err != nil {
		return nil, err
	}
	p.Timings.Plan = time.Since(cargoDone)
	return p, nil
}

func (p *Plan) depDrvs(used map[int]bool) []*derivation.Drv {
	idx := make([]int, 0, len(used))
	for i := range used {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	deps := make([]*derivation.Drv, len(idx))
	for k, i := range idx {
		deps[k] = p.Units[i]
	}
	return deps
}

// writeRoot makes the derivation that gathers the roots' binaries and C libraries
// into one output: bin/<name>, examples/<name>, lib/lib<name>.{so,a}.
func (p *Plan) writeRoot(w *derivation.Writer) (*derivation.Drv, error) {
	g := p.Graph
	j := &job.Job{Unit: "result", Action: job.Collect}
	used := map[int]bool{}
	for _, r := range g.Roots {
		u := &g.Units[r]
		ref := p.Units[r].Ref
		switch {
		case u.Mode == "test" || u.Mode == "bench":
			j.Copy = append(j.Copy, job.Rename{From: ref + "/bin/" + u.Target.Name, To: job.Self + "/" + testPath(p, r)})
		case u.Mode == "build" && u.Target.HasKind("bin"):
			j.Copy = append(j.Copy, job.Rename{From: ref + "/bin/" + u.Target.Name, To: job.Self + "/bin/" + u.Target.Name})
		case u.Mode == "build" && u.Target.HasKind("example"):
			j.Copy = append(j.Copy, job.Rename{From: ref + "/bin/" + u.Target.Name, To: job.Self + "/examples/" + u.Target.Name})
		case u.Mode == "build" && u.Target.IsLib():
			for _, ct := range u.Target.CrateTypes {
				ext := map[string]string{"cdylib": ".so", "staticlib": ".a"}[ct]
				if ext == "" {
					continue
				}
				file := "lib" + u.Target.CrateName()
				j.Copy = append(j.Copy, job.Rename{From: ref + "/lib/" + file + p.planner.ExtraFilename(r) + ext, To: job.Self + "/lib/" + file + ext})
			}
		default:
			continue
		}
		used[r] = true
	}
	// Path packages' warnings travel with the result, so a cached build shows them
	// again as Cargo does. Registry packages compile with --cap-lints allow.
	for _, i := range p.Order {
		if u := &g.Units[i]; u.Package.Source == nil && !u.IsBuildScriptRun() {
			j.Copy = append(j.Copy, job.Rename{From: job.DiagnosticsFile(p.Units[i].Ref),
				To: job.Self + "/" + diagnosticsPath(p, i), Optional: true})
			used[i] = true
		}
	}
	sort.Slice(j.Copy, func(a, b int) bool { return j.Copy[a].To < j.Copy[b].To })
	return w.Write(rootName(g), j, nil, p.depDrvs(used))
}

// testPath is where the result keeps test executable i: tests/<unit name>.
func testPath(p *Plan, i int) string { return "tests/" + p.Units[i].Name }

// diagnosticsPath is where the result keeps unit i's diagnostics.
func diagnosticsPath(p *Plan, i int) string {
	return "nix-unit/diagnostics/" + p.Units[i].Name + "-" + p.planner.Hash(i) + ".json"
}

// openHashCache opens the cache of source hashes of the workspace the command
// runs in; nil (hash everything) with --recheck or without a cache directory.
func openHashCache(cfg *Config) *source.HashCache {
	if cfg.NoCache {
		return nil
	}
	dir := cfg.Query.Dir
	if dir == "" {
		dir, _ = os.Getwd()
	}
	path, err := noop.CachePath("hashes", dir, nil)
	if err != nil {
		return nil
	}
	return source.OpenHashCache(path)
}

// rootName names the result after the only selected package, or the workspace directory.
func rootName(g *unitgraph.Graph) string {
	pkgs := map[string]*unitgraph.Package{}
	for _, r := range g.Roots {
		pkgs[g.Units[r].PkgID] = g.Units[r].Package
	}
	if len(pkgs) == 1 {
		for _, p := range pkgs {
			return plan.SanitizeName(p.Name + "-" + p.Version)
		}
	}
	return plan.SanitizeName(filepath.Base(g.Workspace.WorkspaceRoot))
}
