package share

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/run"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/store"
)

// nixArgs is a nix command line with the experimental features the tool needs.
func nixArgs(nix string, args ...string) []string {
	if nix == "" {
		nix = "nix"
	}
	return append(append([]string{nix}, store.Features...), args...)
}

// Substituters lists the substituters Nix would use now (nix.conf, NIX_CONFIG
// and --option merged, extra-substituters included).
func Substituters(ctx context.Context, nix string) ([]string, error) {
	out, err := run.Output(ctx, run.Cmd{Args: nixArgs(nix, "config", "show", "substituters")})
	if err != nil {
		return nil, fmt.Errorf("asking nix for its substituters: %w", err)
	}
	return strings.Fields(string(out)), nil
}

// SecretKeyFiles lists the user's secret-key-files setting.
func SecretKeyFiles(ctx context.Context, nix string) ([]string, error) {
	out, err := run.Output(ctx, run.Cmd{Args: nixArgs(nix, "config", "show", "secret-key-files")})
	if err != nil {
		return nil, fmt.Errorf("asking nix for secret-key-files: %w", err)
	}
	return strings.Fields(string(out)), nil
}

// Has returns which of paths the store at url holds. Paths go on stdin in
// chunks, so any number fits.
func Has(ctx context.Context, nix, url string, paths []string) (map[string]bool, error) {
	has := map[string]bool{}
	const chunk = 1000
	for start := 0; start < len(paths); start += chunk {
		part := paths[start:min(start+chunk, len(paths))]
		out, err := run.Output(ctx, run.Cmd{
			Args:  nixArgs(nix, "path-info", "--store", url, "--json", "--stdin"),
			Stdin: strings.NewReader(strings.Join(part, "\n") + "\n"),
		})
		if err != nil {
			return nil, fmt.Errorf("asking %s which paths it has: %w", url, err)
		}
		var infos map[string]json.RawMessage
		if err := json.Unmarshal(out, &infos); err != nil {
			return nil, fmt.Errorf("reading nix path-info --json from %s: %w", url, err)
		}
		for p, info := range infos {
			if string(info) != "null" {
				has[p] = true
			}
		}
	}
	return has, nil
}

// Closure lists the store paths that installables (store paths, drv^out)
// need, themselves included, from the store Nix uses now.
func Closure(ctx context.Context, nix string, installables []string) ([]string, error) {
	out, err := run.Output(ctx, run.Cmd{
		Args:  nixArgs(nix, "path-info", "--recursive", "--stdin"),
		Stdin: strings.NewReader(strings.Join(installables, "\n") + "\n"),
	})
	if err != nil {
		return nil, fmt.Errorf("listing the closure: %w", err)
	}
	return strings.Fields(string(out)), nil
}

// Realisations returns the realisation ids ("sha256:…!out") of the given
// content-addressed drv^out installables, from the store Nix uses now.
func Realisations(ctx context.Context, nix string, installables []string) ([]string, error) {
	out, err := run.Output(ctx, run.Cmd{
		Args:  nixArgs(nix, "realisation", "info", "--json", "--stdin"),
		Stdin: strings.NewReader(strings.Join(installables, "\n") + "\n"),
	})
	if err != nil {
		return nil, fmt.Errorf("reading realisations: %w", err)
	}
	var rs []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(out, &rs); err != nil {
		return nil, fmt.Errorf("reading nix realisation info --json: %w", err)
	}
	ids := make([]string, len(rs))
	for k, r := range rs {
		ids[k] = r.ID
	}
	return ids, nil
}
