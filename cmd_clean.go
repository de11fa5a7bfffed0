package main

import (
	"fmt"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/gather"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/incremental"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/report"
)

var cleanCommand = &cli.Command{
	Name:  "clean",
	Usage: "remove what cargo-nix-unit keeps in Cargo's target directory",
	Description: `Removes <target-dir>/nix-unit, where cargo-nix-unit keeps:
   - the incremental compilation state of the units Cargo compiles
     incrementally (rustc's caches, and the copies of their dependencies'
     libraries they compile against), under incremental/;
   - the record of the last build that ` + "`graph --why`" + ` compares with.
The next build compiles those units from scratch. Nothing in the Nix store is
touched: built units stay cached there until Nix's garbage collector removes
them. Cargo's own files in the target directory stay too (cargo clean removes
those).

Example:
   cargo nix-unit clean`,
	Flags: []cli.Flag{
		&cli.StringFlag{Name: "manifest-path", Usage: "path to Cargo.toml"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing"},
	},
	Action: func(c *cli.Context) error {
		var args []string
		if v := c.String("manifest-path"); v != "" {
			abs, err := filepath.Abs(v)
			if err != nil {
				return fmt.Errorf("--manifest-path %s: %w", v, err)
			}
			args = []string{"--manifest-path", abs}
		}
		target, err := gather.TargetDir(c.Context, "", "", args)
		if err != nil {
			return err
		}
		r, err := incremental.Clean(target)
		if err != nil {
			return fmt.Errorf("removing %s: %w", incremental.StateDir(target), err)
		}
		if !c.Bool("quiet") {
			pr, _ := report.NewPrinter(c.App.ErrWriter, report.ColorAuto, report.ProgressPlain, false, false)
			pr.Status("Removed", fmt.Sprintf("%d files, %s total", r.Files, humanBytes(r.Bytes)))
		}
		return nil
	},
}

// humanBytes writes a size as Cargo does in `cargo clean`: 1.5KiB, 45.6MiB.
func humanBytes(n int64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	v, k := float64(n), 0
	for v >= 1024 && k < len(units)-1 {
		v /= 1024
		k++
	}
	if k == 0 {
		return fmt.Sprintf("%dB", n)
	}
	return fmt.Sprintf("%.1f%s", v, units[k])
}
