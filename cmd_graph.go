package main

import (
	"github.com/urfave/cli/v2"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/engine"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/graphview"
)

var graphCommand = &cli.Command{
	Name:  "graph",
	Usage: "show the unit graph as cargo-nix-unit turns it into derivations",
	Description: `Examples:
   cargo nix-unit graph --dot | dot -Tsvg > units.svg
   cargo nix-unit graph --json --release`,
	Flags: append(cargoFlags(),
		&cli.BoolFlag{Name: "dot", Usage: "Graphviz output"},
		&cli.BoolFlag{Name: "json", Usage: "one JSON object per unit"},
		&cli.StringFlag{Name: "content-addressed", Value: "on", Usage: "on|off: which derivations to show"},
		&cli.StringFlag{Name: "rustc", Usage: "the rustc `PROGRAM`"},
	),
	Action: func(c *cli.Context) error {
		q, err := cargoQuery(c)
		if err != nil {
			return err
		}
		cfg := &engine.Config{Query: q, Rustc: c.String("rustc"), System: nixSystem(), CA: c.String("content-addressed") != "off"}
		p, err := engine.Prepare(c.Context, cfg)
		if err != nil {
			return err
		}
		n := len(p.Units)
		keys, drvs, outs := make([]string, n), make([]string, n), make([]string, n)
		for i, d := range p.Units {
			keys[i], drvs[i], outs[i] = d.Name, d.Path, d.Out
			if d.Out == "" {
				outs[i] = "content-addressed"
			}
		}
		nodes := graphview.Nodes(p.Graph, keys, drvs, outs)
		if c.Bool("json") {
			return graphview.JSON(c.App.Writer, nodes)
		}
		return graphview.DOT(c.App.Writer, nodes)
	},
}
