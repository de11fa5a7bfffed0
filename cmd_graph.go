package main

import (
	"fmt"
	"io"
	"os"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"
	"github.com/urfave/cli/v2"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/engine"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/graphview"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/lastbuild"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/outputs"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/store"
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
	q, err := cargoQuery(c)
	if err != nil {
		return err
	}
	if err := applyNixSettings(c); err != nil {
		return err
	}
	cfg := &engine.Config{Query: q, Rustc: c.String("rustc"), Nix: c.String("nix"), System: nixSystem(), CAMode: c.String("content-addressed")}
	ctx := c.Context
	st, err := store.NewCLI(ctx, cfg.Nix)
	if err != nil {
		return err
	}
	if err := resolveCA(ctx, cfg, st); err != nil {
		return err
	}
	p, err := engine.Prepare(ctx, cfg)
	if err != nil {
		return err
	}
	drvs := make([]outputs.Derivation, len(p.Units))
	for i, d := range p.Units {
		drvs[i] = outputs.Derivation{Path: d.Path, Out: d.Out}
	}
	status, err := outputs.Query(ctx, st, cfg.Nix, drvs)
	if err != nil {
		return err
	}
	infos := make([]graphview.UnitInfo, len(p.Units))
	for i, d := range p.Units {
		infos[i] = graphview.UnitInfo{Name: d.Name, DrvPath: d.Path, Out: d.Out, Valid: status.Registered[d.Path], Status: graphview.StatusToBuild}
		if status.Cached[d.Path] {
			infos[i].Status = graphview.StatusCached
		}
	}
	v, err := graphview.New(p.Graph, infos, graphview.UnitInfo{Name: p.Root.Name, DrvPath: p.Root.Path, Out: p.Root.Out}, p.CA)
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
		return why(w, v, p, c.String("why"))
	}
	var r *lipgloss.Renderer
	if f, ok := w.(*os.File); ok && term.IsTerminal(f.Fd()) {
		r = lipgloss.NewRenderer(f)
	}
	return v.Summary(w, r)
}

// why prepares `--why`: the last build's record, compared with the plan now.
func why(w io.Writer, v *graphview.View, p *engine.Plan, q string) error {
	old, err := lastbuild.Load(lastbuild.Path(p.Graph.Workspace.TargetDirectory))
	if err != nil {
		return err
	}
	cur := lastbuild.FromPlan(p, unitKeys(p))
	return v.Why(w, q, graphview.WhyOptions{Explain: func(key string) []string { return lastbuild.Explain(old, cur, key) }})
}

// unitKeys are the graph's unit keys, as graph --json and the build record name units.
func unitKeys(p *engine.Plan) []string {
	names := make([]string, len(p.Units))
	for i, d := range p.Units {
		names[i] = d.Name
	}
	return graphview.Keys(p.Graph, names)
}

// recordBuild merges the plan's inputs into target/nix-unit/last-build.json for `graph --why`.
func recordBuild(p *engine.Plan) error {
	path := lastbuild.Path(p.Graph.Workspace.TargetDirectory)
	old, err := lastbuild.Load(path)
	if err != nil {
		old = nil // a damaged record is replaced
	}
	return lastbuild.Save(path, lastbuild.Merge(old, lastbuild.FromPlan(p, unitKeys(p))))
}
