package outputs

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/run"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/store"
)

// Derivation is one derivation to ask about.
type Derivation struct {
	Path string // the .drv
	Out  string // input-addressed output path; "" for content-addressed
}

// Status is what the store holds, by .drv path.
type Status struct {
	Registered map[string]bool // the .drv is valid
	Cached     map[string]bool // its output is valid: building it would run nothing
	// Out maps a .drv to its output path: given for input-addressed ones, the
	// realised one for content-addressed ones (present only once realised).
	Out map[string]string
}

// DryRun runs `nix build --dry-run --json` on installables and returns its stdout; a
// variable so tests can feed captured output.
var DryRun = func(ctx context.Context, nix string, installables []string) ([]byte, error) {
	args := append(append([]string{nix}, store.Features...), "build", "--dry-run", "--json", "--no-link")
	return run.Output(ctx, run.Cmd{Args: append(args, installables...)})
}

// chunk bounds the installables of one nix call (the command line's length).
const chunk = 500

// Query finds out what the store holds of drvs.
//
// The output of a content-addressed derivation is known only once it is built: Nix
// then records a realisation (drv output → path). `nix build --dry-run --json` reports
// it without building ("out": null when there is none); the path it names must still be
// valid (garbage collection removes outputs, not realisations). A CA derivation not yet
// registered counts as to build, even though it might resolve to an existing output
// (early cutoff): that is known only by building its inputs.
func Query(ctx context.Context, s store.Store, nix string, drvs []Derivation) (*Status, error) {
	st := &Status{Registered: map[string]bool{}, Cached: map[string]bool{}, Out: map[string]string{}}
	paths := make([]string, 0, 2*len(drvs))
	for _, d := range drvs {
		paths = append(paths, d.Path)
		if d.Out != "" {
			paths = append(paths, d.Out)
		}
	}
	valid, err := s.ValidPaths(ctx, paths)
	if err != nil {
		return nil, err
	}
	var ca []string
	for _, d := range drvs {
		st.Registered[d.Path] = valid[d.Path]
		switch {
		case d.Out != "":
			st.Cached[d.Path] = valid[d.Out]
			st.Out[d.Path] = d.Out
		case valid[d.Path]:
			ca = append(ca, d.Path)
		}
	}
	realised := map[string]string{} // drv → output path
	for start := 0; start < len(ca); start += chunk {
		part := ca[start:min(start+chunk, len(ca))]
		inst := make([]string, len(part))
		for i, p := range part {
			inst[i] = p + "^out"
		}
		out, err := DryRun(ctx, nix, inst)
		if err != nil {
			return nil, fmt.Errorf("asking nix which outputs exist: %w", err)
		}
		if err := parseDryRun(out, realised); err != nil {
			return nil, err
		}
	}
	var outs []string
	for _, o := range realised {
		outs = append(outs, o)
	}
	validOuts, err := s.ValidPaths(ctx, outs)
	if err != nil {
		return nil, err
	}
	for _, p := range ca {
		st.Cached[p] = realised[p] != "" && validOuts[realised[p]]
		if realised[p] != "" {
			st.Out[p] = realised[p]
		}
	}
	return st, nil
}

// parseDryRun reads `[{"drvPath":…,"outputs":{"out":"/nix/store/…"|null}}]` into realised.
func parseDryRun(b []byte, realised map[string]string) error {
	var res []struct {
		DrvPath string             `json:"drvPath"`
		Outputs map[string]*string `json:"outputs"`
	}
	if err := json.Unmarshal(b, &res); err != nil {
		return fmt.Errorf("reading nix build --dry-run --json: %w", err)
	}
	for _, r := range res {
		if o := r.Outputs["out"]; o != nil && *o != "" {
			realised[r.DrvPath] = *o
		}
	}
	return nil
}
