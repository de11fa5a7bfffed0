package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/aterm"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/store"
)

// Drvs lists every derivation of the plan, dependencies first, the root last.
func (p *Plan) Drvs() []DrvRef {
	out := make([]DrvRef, 0, len(p.Order)+1)
	for _, i := range p.Order {
		out = append(out, DrvRef{p.Units[i].Drv, p.Units[i].Path})
	}
	return append(out, DrvRef{p.Root.Drv, p.Root.Path})
}

// DrvRef is a derivation and its .drv path.
type DrvRef struct {
	Drv  *nixdrv.Derivation
	Path string
}

// Register adds what the store lacks: sources, the builder, then derivations in
// dependency order. It returns how many derivations it added.
func (p *Plan) Register(ctx context.Context, s store.Store) (int, error) {
	drvs := p.Drvs()
	paths := []string{p.Builder.Path}
	if c := p.Toolchain.Copy; c != nil {
		paths = append(paths, c.Path)
	}
	for _, t := range p.Sources {
		paths = append(paths, t.Path)
	}
	for _, d := range drvs {
		paths = append(paths, d.Path)
	}
	valid, err := s.ValidPaths(ctx, paths)
	if err != nil {
		return 0, err
	}
	if !valid[p.Builder.Path] {
		if err := s.AddPath(ctx, p.Builder.Name, p.Builder.Dir, p.Builder.Path); err != nil {
			return 0, err
		}
	}
	tmp, err := os.MkdirTemp("", "cargo-nix-unit-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	if err := addToolchain(ctx, s, p.Toolchain.Copy, valid, tmp); err != nil {
		return 0, err
	}
	for _, t := range p.Sources {
		if valid[t.Path] {
			continue
		}
		staged, err := t.Stage(tmp)
		if err != nil {
			return 0, fmt.Errorf("staging %s: %w", t.Dir, err)
		}
		if err := s.AddPath(ctx, t.Name, staged, t.Path); err != nil {
			return 0, err
		}
	}
	added := 0
	for _, d := range drvs {
		if valid[d.Path] {
			continue
		}
		if err := s.AddDerivation(ctx, d.Drv, d.Path); err != nil {
			return added, err
		}
		added++
	}
	return added, nil
}

// Collected reports whether err says a path this run registered is gone: a
// garbage collection ran between `nix derivation add` and its use (by a later
// `nix derivation add` or by `nix build`), since the CLI holds no temp roots.
// Registering again and retrying once closes the gap in practice; a store client
// holding temp roots for the whole run closes it for good.
func Collected(err error) bool {
	var be *BuildError
	if err == nil || errors.As(err, &be) { // a unit's log may say anything
		return false
	}
	return collectedRe.MatchString(err.Error())
}

// Nix 2.18–2.26: "path '/nix/store/…' is not valid" (an input of `nix derivation add`),
// "cannot build missing derivation '/nix/store/….drv'" (`nix build`).
var collectedRe = regexp.MustCompile(`path '` + aterm.StoreDir + `/[^']+' is not valid|cannot build missing derivation`)

// ProbeCA reports whether the store accepts floating content-addressed derivations:
// it registers a tiny one. The daemon decides, whatever the client's configuration
// says. Builds use one probe (nonce ""), valid after the first success; a nonce
// makes a new one, for an answer that no earlier probe decides.
func ProbeCA(ctx context.Context, s store.Store, system, nonce string) (bool, error) {
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
