package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// benchCheck times `check` from nothing: `cargo check` with a fresh target
// directory against `cargo nix-unit check` with a new builder (every
// derivation new, as in the cold build).
func benchCheck(ws workspace, runs int, cnu, bin, tmp string) error {
	var cargoT, cnuT []time.Duration
	for i := 0; i < runs; i++ {
		target := filepath.Join(tmp, fmt.Sprintf("check-target-%s-%d", filepath.Base(ws.dir), i))
		m, err := timeCmd(ws.dir, []string{"CARGO_TARGET_DIR=" + target}, "cargo", "check", "-q")
		if err != nil {
			return err
		}
		os.RemoveAll(target)
		cargoT = append(cargoT, m.wall)
		p, err := nonceBuilder(bin, tmp)
		if err != nil {
			return err
		}
		m, err = timeCmd(ws.dir, []string{"CARGO_NIX_UNIT_BUILDER=" + p}, cnu, "nix-unit", "check", "--no-link", "--progress=plain")
		if err != nil {
			return err
		}
		cnuT = append(cnuT, m.wall)
	}
	c, n := median(cargoT), median(cnuT)
	fmt.Printf("| %s | check, cold | %.2fs | %.2fs | %.2f× |\n", ws.name, c.Seconds(), n.Seconds(), n.Seconds()/c.Seconds())
	return nil
}
