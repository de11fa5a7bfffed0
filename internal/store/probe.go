package store

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/aterm"
)

// Collected reports whether err says a path this run registered is gone: a
// garbage collection ran between `nix derivation add` and its use (by a later
// `nix derivation add` or by `nix build`), since the CLI holds no temp roots.
// Registering again and retrying once closes the gap in practice; a store client
// holding temp roots for the whole run closes it for good. A unit's failure is
// never a collection, whatever its log says: callers ask only about Nix's errors.
func Collected(err error) bool {
	return err != nil && collectedRe.MatchString(err.Error())
}

// Nix 2.18–2.26: "path '/nix/store/…' is not valid" (an input of `nix derivation add`),
// "cannot build missing derivation '/nix/store/….drv'" (`nix build`).
var collectedRe = regexp.MustCompile(`path '` + aterm.StoreDir + `/[^']+' is not valid|cannot build missing derivation`)

// ProbeCA reports whether the store accepts floating content-addressed derivations:
// it registers a tiny one. The daemon decides, whatever the client's configuration
// says. Builds use one probe (nonce ""), valid after the first success; a nonce
// makes a new one, for an answer that no earlier probe decides.
func ProbeCA(ctx context.Context, s Store, system, nonce string) (bool, error) {
	name := "cargo-nix-unit-ca-probe"
	if nonce != "" {
		name += "-" + nonce
	}
	d := &nixdrv.Derivation{
		Outputs:          map[string]*nixdrv.Output{"out": {HashAlgorithm: "r:sha256"}},
		InputDerivations: map[string][]string{},
		InputSources:     []string{},
		Platform:         system,
		Builder:          "/bin/sh",
		Arguments:        []string{"-c", "echo > $out"},
		Env:              map[string]string{"name": name, "out": aterm.Placeholder("out"), "system": system, "builder": "/bin/sh"},
	}
	path, err := aterm.DrvPath(d)
	if err != nil {
		return false, err
	}
	valid, err := s.ValidPaths(ctx, []string{path})
	if err != nil {
		return false, err
	}
	if valid[path] {
		return true, nil
	}
	if err := s.AddDerivation(ctx, d, path); err != nil {
		if strings.Contains(err.Error(), "ca-derivations") {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

// ResolveCA decides from mode (--content-addressed) whether derivations are
// content-addressed: "on", "off", or "auto" (or "") to probe the store
// (ProbeCA), which decides whether it accepts floating content-addressed
// derivations. build and graph share it, so graph shows the derivation paths
// build registers.
func ResolveCA(ctx context.Context, mode string, s Store, system string) (bool, error) {
	switch mode {
	case "on":
		return true, nil
	case "off":
		return false, nil
	case "auto", "":
		return ProbeCA(ctx, s, system, "")
	}
	return false, fmt.Errorf("--content-addressed=%s: want auto, on or off", mode)
}
