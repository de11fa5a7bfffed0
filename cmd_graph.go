package main

import (
	"fmt"
	"os"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"
	"github.com/urfave/cli/v2"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/engine"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/gather"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/graphview"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/lastbuild"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/toolchain"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

var graphCommand = &cli.Command{
	Name:  "graph",
	Usage: "show the unit graph as cargo-nix-unit turns it into derivations",
	Description: `Without a flag: unit counts, the longest chain of units and what the store lacks.

Examples:
   cargo nix-unit graph
   cargo nix-unit graph --dot --with-status | dot -Tsvg > units.svg
   cargo nix-unit graph --json --release
   cargo nix-unit graph --why greeter`,
	Flags: append(cargoFlags(),
		&cli.BoolFlag{Name: "dot", Usage: "Graphviz output"},
		&cli.BoolFlag{Name: "with-status", Usage: "with --dot: colour units by store status (cached or to build)"},
		&cli.BoolFlag{Name: "json", Usage: "one JSON object per unit (docs/graph-json.md)"},
		&cli.StringFlag{Name: "why", Usage: "how the roots need `UNIT` (a package name, name@version or key), and what changed since the last build"},
		&cli.StringFlag{Name: "content-addressed", Value: "auto", Usage: "auto|on|off: as for build, so the derivation paths are the ones build registers"},
		&cli.StringFlag{Name: "rustc", Usage: "the rustc `PROGRAM` (default: rustc on PATH)"},
		toolchainFlag,
		&cli.StringFlag{Name: "nix", Value: "nix", Usage: "the nix `PROGRAM`"},
		storeFlag(), settingsFlags()[0],
	),
	Action: runGraph,
}

func runGraph(c *cli.Context) error {
	if c.Bool("dot") && c.Bool("json") || c.IsSet("why") && (c.Bool("dot") || c.Bool("json")) {
		return fmt.Errorf("--dot, --json and --why exclude each other")
	}
	if c.Bool("with-status") && !c.Bool("dot") {
		return fmt.Errorf("--with-status goes with --dot (the summary and --json always show the status)")
	}
	q, err := cargoQuery(c, false)
	if err != nil {
		return err
	}
	if err := applyNixSettings(c); err != nil {
		return err
	}
	mode, err := toolchain.ParseMode(c.String("toolchain"))
	if err != nil {
		return err
	}
	cfg := &engine.Config{Gather: gather.Config{Query: q, Rustc: c.String("rustc"), Toolchain: mode, Nix: c.String("nix")},
		Nix: c.String("nix"), System: nixSystem(), CAMode: c.String("content-addressed"), Stderr: c.App.ErrWriter}
	if err := oneOf("content-addressed", cfg.CAMode, "auto", "on", "off"); err != nil {
		return err
	}
	pr, err := engine.Prepare(c.Context, cfg)
	if err != nil {
		return err
	}
	p, st := pr.Plan, pr.Status
	info := func(n *plan.Node) graphview.UnitInfo {
		in := graphview.UnitInfo{DrvPath: n.Drv.Path, Out: n.Drv.Out, Valid: st.Registered[n.Drv.Path], Status: graphview.StatusToBuild}
		if st.Cached[n.Drv.Path] {
			in.Status = graphview.StatusCached
		}
		return in
	}
	v, err := graphview.New(p.Nodes, info, graphview.UnitInfo{DrvPath: p.Result.Drv.Path, Out: p.Result.Drv.Out}, pr.CA)
	if err != nil {
		return err
	}
	w := c.App.Writer
	switch {
	case c.Bool("json"):
		return v.JSON(w)
	case c.Bool("dot"):
		return v.DOT(w, graphview.DOTOptions{Status: c.Bool("with-status")})
	case c.IsSet("why"):
		old, err := lastbuild.Load(lastbuild.Path(p.Input.Graph.Workspace.TargetDirectory))
		if err != nil {
			return err
		}
		explain := func(key string) []string { return lastbuild.Explain(old, pr.LastBuild, key) }
		var members []*unitgraph.Package
		for _, pkg := range p.Input.Graph.Workspace.Packages {
			if pkg.Member {
				members = append(members, pkg)
			}
		}
		return v.Why(w, c.String("why"), graphview.WhyOptions{Explain: explain, Members: members})
	}
	var r *lipgloss.Renderer
	if f, ok := w.(*os.File); ok && term.IsTerminal(f.Fd()) {
		r = lipgloss.NewRenderer(f)
	}
	return v.Summary(w, r)
}
