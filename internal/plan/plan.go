package plan

import (
	"path/filepath"
	"slices"
	"sort"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// New plans every unit of in.Graph: one node each, with its job, its
// dependencies and its source, and the result node collecting the roots.
func New(in *Input) (*Plan, error) {
	g := in.Graph
	order, err := g.TopoOrder()
	if err != nil {
		return nil, err
	}
	c := newPlanner(in)
	nodes := Skeleton(g)
	p := &Plan{Input: in}
	// Under `test`, doctest units are runs: rustdoc --test builds and runs them.
	isDoctest := func(n *Node) bool { return in.Test != nil && n.Unit.Mode == "doctest" }
	for _, i := range order {
		n := nodes[i]
		if isDoctest(n) {
			continue
		}
		used := map[int]bool{}
		j, err := c.Job(i, func(dep int) string { used[dep] = true; return OutRef(nodes[dep].Key) })
		if err != nil {
			return nil, err
		}
		n.Job, n.Hash, n.Source = j, c.Hash(i), c.source(n.Unit)
		n.Deps = depNodes(nodes, used)
		if nat := in.Native[n.Unit.Package.Name]; nat != nil {
			n.Store = nat.Store
			for _, h := range nat.SandboxPaths {
				if !slices.Contains(p.HostPaths, h) {
					p.HostPaths = append(p.HostPaths, h)
				}
			}
		}
		p.Nodes = append(p.Nodes, n)
	}
	var doctests []*Node
	for _, r := range g.Roots {
		if isDoctest(nodes[r]) {
			nodes[r].Hash = c.Hash(r)
			doctests = append(doctests, nodes[r])
			continue
		}
		p.Roots = append(p.Roots, nodes[r])
	}
	p.Result = c.result(p)
	if in.Test != nil && !in.Test.NoRun {
		if p.Runs, err = c.runs(p, doctests, nodes); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Skeleton makes the nodes of g's units, in Cargo's order, with their keys,
// names and roots but not planned (no jobs): for views of the graph alone.
func Skeleton(g *unitgraph.Graph) []*Node {
	keys := Keys(g)
	names := Names(keys)
	nodes := make([]*Node, len(g.Units))
	for i := range g.Units {
		nodes[i] = &Node{Key: keys[i], Name: names[i], Unit: &g.Units[i], Index: i}
	}
	for _, r := range g.Roots {
		nodes[r].Root = true
	}
	return nodes
}

// depNodes lists the nodes of the used unit indices, sorted by key.
func depNodes(nodes []*Node, used map[int]bool) []*Node {
	deps := make([]*Node, 0, len(used))
	for i := range used {
		deps = append(deps, nodes[i])
	}
	sort.Slice(deps, func(a, b int) bool { return deps[a].Key < deps[b].Key })
	return deps
}

// result plans the derivation that gathers the roots' binaries and C libraries
// into one output: bin/<name>, examples/<name>, lib/lib<name>.{so,a},
// tests/<unit>, share/doc/ (addDocs), and the path packages' diagnostics.
// Executables are links to their units' outputs, not copies: the result is
// built again after every edit of a root, and a debug binary of tens of MB
// would be copied, and hashed and scanned by Nix, each time.
func (c *planner) result(p *Plan) *Node {
	j := &job.Job{Unit: "result", Action: job.Collect}
	used := map[*Node]bool{}
	for _, n := range p.Roots {
		u, ref := n.Unit, OutRef(n.Key)
		switch {
		case u.Mode == "test" || u.Mode == "bench":
			j.Copy = append(j.Copy, job.Rename{From: ref + "/bin/" + u.Target.Name, To: job.Self + "/" + TestPath(n), Link: true})
		case u.Mode == "build" && u.Target.HasKind("bin"):
			j.Copy = append(j.Copy, job.Rename{From: ref + "/bin/" + u.Target.Name, To: job.Self + "/bin/" + u.Target.Name, Link: true})
		case u.Mode == "build" && u.Target.HasKind("example"):
			j.Copy = append(j.Copy, job.Rename{From: ref + "/bin/" + u.Target.Name, To: job.Self + "/examples/" + u.Target.Name, Link: true})
		case u.Mode == "build" && u.Target.IsLib():
			for _, ct := range u.Target.CrateTypes {
				ext := map[string]string{"cdylib": ".so", "staticlib": ".a"}[ct]
				if ext == "" {
					continue
				}
				file := "lib" + u.Target.CrateName()
				j.Copy = append(j.Copy, job.Rename{From: ref + "/lib/" + file + c.ExtraFilename(n.Index) + ext, To: job.Self + "/lib/" + file + ext})
			}
		default:
			continue
		}
		used[n] = true
	}
	c.addDocs(p, j, used)
	// Path packages' warnings travel with the result, so a cached build shows them
	// again as Cargo does. Registry packages compile with --cap-lints allow.
	for _, n := range p.Nodes {
		if u := n.Unit; u.Package.Source == nil && !u.IsBuildScriptRun() {
			j.Copy = append(j.Copy, job.Rename{From: job.DiagnosticsFile(OutRef(n.Key)),
				To: job.Self + "/" + DiagnosticsPath(n), Optional: true})
			used[n] = true
		}
	}
	sort.Slice(j.Copy, func(a, b int) bool { return j.Copy[a].To < j.Copy[b].To })
	r := &Node{Key: "result", Name: resultName(c.Graph), Index: -1, Job: j}
	for n := range used {
		r.Deps = append(r.Deps, n)
	}
	sort.Slice(r.Deps, func(a, b int) bool { return r.Deps[a].Key < r.Deps[b].Key })
	return r
}

// TestPath is where the result keeps a test executable: tests/<derivation name>.
func TestPath(n *Node) string { return "tests/" + n.Name }

// DiagnosticsPath is where the result keeps a unit's diagnostics.
func DiagnosticsPath(n *Node) string {
	return "nix-unit/diagnostics/" + n.Name + "-" + n.Hash + ".json"
}

// resultName names the result after the only selected package, or the workspace directory.
func resultName(g *unitgraph.Graph) string {
	pkgs := map[string]*unitgraph.Package{}
	for _, r := range g.Roots {
		pkgs[g.Units[r].PkgID] = g.Units[r].Package
	}
	if len(pkgs) == 1 {
		for _, p := range pkgs {
			return SanitizeName(p.Name + "-" + p.Version)
		}
	}
	return SanitizeName(filepath.Base(g.Workspace.WorkspaceRoot))
}

// PackageDirs are the directories of the path packages whose units the plan
// builds, sorted: what the no-op check walks.
func (p *Plan) PackageDirs() []string {
	seen := map[string]bool{}
	var dirs []string
	for _, n := range p.Nodes {
		if pkg := n.Unit.Package; pkg.IsPath() && !seen[pkg.Dir()] {
			seen[pkg.Dir()] = true
			dirs = append(dirs, pkg.Dir())
		}
	}
	sort.Strings(dirs)
	return dirs
}
