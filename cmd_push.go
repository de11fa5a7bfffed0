package main

import (
	"context"
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/engine"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/share"
)

var pushCommand = &cli.Command{
	Name:      "push",
	Usage:     "build the selected units, then copy them to a Nix binary cache",
	ArgsUsage: "STORE-URL",
	Description: `Plans and builds as ` + "`build`" + ` does (same flags), then copies to the store at STORE-URL
(anything nix copy takes: file://, http(s)://, s3://, ssh://, ssh-ng://) what a later build
needs: the derivations with their sources and the builder, every unit's output and, for
content-addressed units, their realisations. Paths are signed first with --sign-key and with
the keys of Nix's secret-key-files setting. Only what the cache lacks is sent.
See docs/sharing.md.

Examples:
   cargo nix-unit push 'file:///var/cache/units?compression=zstd' --sign-key ci.sec
   cargo nix-unit push --release s3://units?region=eu-west-1`,
	Flags: append(append(append(append(cargoFlags(), nixFlags()...), outputFlags()...), storeFlag()),
		&cli.StringSliceFlag{Name: "sign-key", Usage: "sign what is pushed with the secret key in `FILE` (nix key generate-secret; repeatable)"},
	),
	Action: func(c *cli.Context) error {
		if c.NArg() != 1 {
			return fmt.Errorf("push takes one store URL (e.g. file:///var/cache/units), got %d arguments", c.NArg())
		}
		to := c.Args().First()
		keys := c.StringSlice("sign-key")
		for _, k := range keys {
			if _, err := os.Stat(k); err != nil {
				return fmt.Errorf("--sign-key %s: %w", k, err)
			}
		}
		cfg, err := buildConfig(c, true)
		if err != nil {
			return err
		}
		if cfg.DryRun {
			return fmt.Errorf("push builds what it pushes: --dry-run does not apply")
		}
		return engine.Push(c.Context, cfg, func(ctx context.Context, drvs, sources []string, ca bool) error {
			configured, err := share.SecretKeyFiles(ctx, cfg.Nix)
			if err != nil {
				return err
			}
			p := &share.Push{Nix: cfg.Nix, To: to, Keys: append(append([]string{}, keys...), configured...),
				Drvs: drvs, Sources: sources, CA: ca, Status: cfg.Printer.Status}
			res, err := p.Run(ctx)
			if err != nil {
				return err
			}
			cfg.Printer.Status("Pushed", res.Summary(to))
			return nil
		})
	},
}
