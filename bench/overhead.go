package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"time"
)

// unitOverhead measures the fixed cost of one unit: a trivial library crate
// compiled by rustc alone, against the same unit built through Nix (the
// build's duration as Nix reports it, and the builder's own phases in it).
func unitOverhead(bin, tmp string, runs int) error {
	dir := filepath.Join(tmp, "trivial")
	if err := writeCrate(tmp, "trivial", nil, "src/lib.rs", "pub fn one() -> u32 {\n    1\n}\n"); err != nil {
		return err
	}
	var alone, unit, setup, output []time.Duration
	for i := 0; i < runs; i++ {
		out := filepath.Join(tmp, fmt.Sprintf("trivial-out-%d", i))
		start := time.Now()
		cmd := exec.Command("rustc", "--crate-name", "trivial", "--edition=2021", "src/lib.rs", "--crate-type", "lib",
			"--emit=dep-info,metadata,link", "-C", "debuginfo=2", "-C", "incremental="+filepath.Join(out, "incremental"),
			"--out-dir", out)
		cmd.Dir = dir
		if b, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("rustc alone: %v\n%s", err, b)
		}
		alone = append(alone, time.Since(start))

		os.RemoveAll(filepath.Join(dir, "target"))
		builder, err := nonceBuilder(bin, tmp)
		if err != nil {
			return err
		}
		m, err := timeCmd(dir, []string{"CARGO_NIX_UNIT_BUILDER=" + builder}, filepath.Join(bin, "cargo-nix-unit"),
			"nix-unit", "build", "--no-link", "--json", "--timings")
		if err != nil {
			return err
		}
		var rep struct {
			Units []struct {
				Kind    string  `json:"kind"`
				Seconds float64 `json:"seconds"`
			} `json:"units"`
		}
		if err := json.Unmarshal([]byte(m.stdout), &rep); err != nil || len(rep.Units) != 1 {
			return fmt.Errorf("reading the report of the trivial crate: %v\n%s", err, m.stdout)
		}
		unit = append(unit, seconds(rep.Units[0].Seconds))
		if b := builderRe.FindStringSubmatch(m.stderr); b != nil {
			setup = append(setup, parseSeconds(b[1]))
			output = append(output, parseSeconds(b[3]))
		}
	}
	a, u := median(alone), median(unit)
	fmt.Printf("| one trivial unit | rustc alone / the unit through Nix | %.0f ms | %.0f ms | %.1f× |\n", ms(a), ms(u), u.Seconds()/a.Seconds())
	if len(setup) > 0 {
		fmt.Printf("| one trivial unit | of which the builder's setup and output (the rest: rustc, Nix) | | %.0f ms + %.0f ms | |\n", ms(median(setup)), ms(median(output)))
	}
	return nil
}

var builderRe = regexp.MustCompile(`builders: setup ([0-9.]+)s, run ([0-9.]+)s, output ([0-9.]+)s`)

// nonceBuilder copies the builder with bytes appended: every derivation is new.
func nonceBuilder(bin, tmp string) (string, error) {
	b, err := os.ReadFile(filepath.Join(bin, "cargo-nix-unit-builder"))
	if err != nil {
		return "", err
	}
	p := filepath.Join(tmp, fmt.Sprintf("builder-%d", time.Now().UnixNano()))
	return p, os.WriteFile(p, append(b, fmt.Sprintf("\nnonce %d\n", time.Now().UnixNano())...), 0o755)
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func parseSeconds(s string) time.Duration {
	f, _ := strconv.ParseFloat(s, 64)
	return seconds(f)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
