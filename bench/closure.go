package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/derivation"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/store"
)

// closureInputs is how many store paths the closure probe gives a derivation:
// about what a unit at the top of the 1,000-crate DAG sees.
const closureInputs = 900

// closureCost measures what Nix charges a build for each path of its input
// closure: derivations that only make their output, with no inputs and with
// closureInputs small store paths, built one at a time, with the sandbox and
// without it. The sandbox makes a mount point and a bind mount for every
// input path (nix: ChrootDerivationBuilder, doBind), so a unit's cost grows
// with its closure wherever that is slow.
func closureCost(bin, tmp string, runs int) error {
	ctx := context.Background()
	cli, err := store.NewCLI(ctx, "nix")
	if err != nil {
		return err
	}
	system, err := nixConfig("system")
	if err != nil {
		return err
	}
	ca, err := store.ResolveCA(ctx, "auto", cli, system)
	if err != nil {
		return err
	}
	inputs, err := closureProbeInputs(tmp)
	if err != nil {
		return err
	}
	builder, err := nonceBuilder(bin, tmp)
	if err != nil {
		return err
	}
	builderPath, err := nixStoreAdd(builder)
	if err != nil {
		return err
	}
	w := derivation.NewWriter(derivation.Options{CA: ca, System: system, Builder: builderPath[0]})
	enc, err := (&job.Job{Unit: "closure probe", Action: job.Collect}).Encode()
	if err != nil {
		return err
	}
	// A batch of derivations per measurement, so the build's own start-up
	// is spread over them.
	const batch = 10
	perDrv := func(n int, sandbox string) (time.Duration, error) {
		var outs []string
		for k := 0; k < batch; k++ {
			d, err := w.Write(fmt.Sprintf("closure-probe-%d-%d", n, time.Now().UnixNano()), enc, inputs[:n], nil)
			if err != nil {
				return 0, err
			}
			if err := cli.AddDerivation(ctx, d.Drv, d.Path); err != nil {
				return 0, err
			}
			outs = append(outs, d.Path+"^out")
		}
		m, err := timeCmd(tmp, nil, "nix", append([]string{"--extra-experimental-features", "nix-command ca-derivations",
			"build", "--no-link", "--max-jobs", "1", "--option", "sandbox", sandbox}, outs...)...)
		if err != nil {
			return 0, err
		}
		// A user the store does not trust cannot turn the sandbox off: Nix
		// warns and builds sandboxed, which would measure the wrong thing.
		if strings.Contains(m.stderr, "ignoring the client-specified setting 'sandbox'") {
			return 0, fmt.Errorf("the store ignored --option sandbox %s (only a trusted user may set it): run the bench as a trusted user, or with -overhead=false", sandbox)
		}
		return m.wall / batch, nil
	}
	for _, sandbox := range []string{"true", "false"} {
		var none, full []time.Duration
		for i := 0; i < runs; i++ {
			a, err := perDrv(0, sandbox)
			if err != nil {
				return err
			}
			b, err := perDrv(closureInputs, sandbox)
			if err != nil {
				return err
			}
			none, full = append(none, a), append(full, b)
		}
		a, b := median(none), median(full)
		fmt.Printf("| a derivation that only makes its output, sandbox = %s | no input paths / %d | %.0f ms | %.0f ms | %.3f ms a path |\n",
			sandbox, closureInputs, ms(a), ms(b), ms(b-a)/closureInputs)
	}
	return nil
}

// closureProbeInputs adds closureInputs small directories to the store, the
// same ones on every run, and returns their store paths.
func closureProbeInputs(tmp string) ([]string, error) {
	dir := filepath.Join(tmp, "closure-probe")
	var locals []string
	for k := 0; k < closureInputs; k++ {
		local := filepath.Join(dir, fmt.Sprintf("cargo-nix-unit-bench-input-%d", k))
		if err := os.MkdirAll(filepath.Join(local, "lib"), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(local, "lib", "input"), []byte(fmt.Sprintln(k)), 0o644); err != nil {
			return nil, err
		}
		locals = append(locals, local)
	}
	return nixStoreAdd(locals...)
}

// nixStoreAdd adds local paths to the store in one call, keeping their order.
func nixStoreAdd(locals ...string) ([]string, error) {
	out, err := exec.Command("nix-store", append([]string{"--add"}, locals...)...).Output()
	if err != nil {
		return nil, fmt.Errorf("nix-store --add: %w%s", err, exitStderr(err))
	}
	paths := strings.Fields(string(out))
	if len(paths) != len(locals) {
		return nil, fmt.Errorf("nix-store --add: %d paths for %d files", len(paths), len(locals))
	}
	return paths, nil
}

// nixConfig is the value of one of Nix's settings, as `nix config show` gives it.
func nixConfig(name string) (string, error) {
	out, err := exec.Command("nix", "--extra-experimental-features", "nix-command", "config", "show", name).Output()
	if err != nil {
		return "", fmt.Errorf("nix config show %s: %w%s", name, err, exitStderr(err))
	}
	return strings.TrimSpace(string(out)), nil
}

// exitStderr is what a failed command printed, to follow its error.
func exitStderr(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) && len(ee.Stderr) > 0 {
		return "\n" + strings.TrimSpace(string(ee.Stderr))
	}
	return ""
}
