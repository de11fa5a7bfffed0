package share

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/run"
)

// Push copies to a store what a later build on another machine needs: the
// derivations with their sources and the builder (so the units can be built
// or substituted without the workspace), every unit's output closure and, for
// content-addressed units, their realisations, through which Nix finds CA
// outputs. `nix copy DRV^out` copies the realisation with the output; `nix
// copy PATH` would not (nix#6623).
type Push struct {
	Nix  string
	To   string   // destination store URL: file://, http(s)://, s3://, ssh://, ...
	Keys []string // secret key files: what is pushed is signed with each first
	Drvs []string // every unit's .drv path and the root's
	// Sources are copied with the derivations: the fetched sources' unpacked
	// trees, which units name through fixed-output derivations (not as
	// input sources), so a build elsewhere needs no network for them.
	Sources []string
	CA      bool
	// Status prints one line per phase: ("Derivations", "58 paths, 58 new").
	Status func(word, text string)
}

// PushResult counts what a push found and sent.
type PushResult struct {
	Paths, NewPaths int
	// Realisations is how many CA realisations belong to the build; NewRealisations
	// how many the destination lacked, or -1 when it cannot be asked.
	Realisations, NewRealisations int
}

// Run pushes. Each phase first asks the destination what it has and copies
// only when something is missing; `nix copy` writes a path's NAR before its
// .narinfo and realisations after their paths, so an interrupted push leaves
// a cache whose every entry is whole, and the next push sends the rest.
func (p *Push) Run(ctx context.Context) (*PushResult, error) {
	res := &PushResult{}
	withSources := append(append([]string{}, p.Drvs...), p.Sources...)
	drvClosure, err := Closure(ctx, p.Nix, withSources)
	if err != nil {
		return nil, err
	}
	outs := make([]string, len(p.Drvs))
	for k, d := range p.Drvs {
		outs[k] = d + "^out"
	}
	outClosure, err := Closure(ctx, p.Nix, outs)
	if err != nil {
		return nil, err
	}
	has, err := Has(ctx, p.Nix, p.To, append(append([]string{}, drvClosure...), outClosure...))
	if err != nil {
		return nil, err
	}
	missing := func(paths []string) []string {
		var m []string
		for _, q := range paths {
			if !has[q] {
				m = append(m, q)
			}
		}
		return m
	}
	newDrvs, newOuts := missing(drvClosure), missing(outClosure)
	var ids []string
	if p.CA {
		if ids, err = Realisations(ctx, p.Nix, outs); err != nil {
			return nil, err
		}
		res.Realisations, res.NewRealisations = len(ids), -1
		if dir, ok := fileCacheDir(p.To); ok {
			res.NewRealisations = 0
			for _, id := range ids {
				if _, err := os.Stat(filepath.Join(dir, "realisations", id+".doi")); err != nil {
					res.NewRealisations++
				}
			}
		}
	}
	res.Paths = len(union(drvClosure, outClosure))
	res.NewPaths = len(union(newDrvs, newOuts))

	if len(p.Keys) > 0 {
		toSign := union(newDrvs, newOuts)
		if len(toSign) > 0 {
			for _, k := range p.Keys {
				if err := sign(ctx, p.Nix, k, toSign); err != nil {
					return nil, err
				}
			}
			p.Status("Signed", fmt.Sprintf("%d %s with %s", len(toSign), plural(len(toSign), "path"), strings.Join(p.Keys, ", ")))
		}
	}

	p.Status("Derivations", fmt.Sprintf("%d %s (derivations, sources, the builder), %d new", len(drvClosure), plural(len(drvClosure), "path"), len(newDrvs)))
	if len(newDrvs) > 0 {
		if err := copyTo(ctx, p.Nix, p.To, "derivations", withSources); err != nil {
			return nil, err
		}
	}
	p.Status("Outputs", fmt.Sprintf("%d %s (every unit's output and what it refers to), %d new", len(outClosure), plural(len(outClosure), "path"), len(newOuts)))
	if p.CA {
		if res.NewRealisations >= 0 {
			p.Status("Realisations", fmt.Sprintf("%d, %d new", res.Realisations, res.NewRealisations))
		} else {
			p.Status("Realisations", fmt.Sprintf("%d, all sent (this cache cannot be asked which it holds)", res.Realisations))
		}
	}
	if len(newOuts) > 0 || res.NewRealisations != 0 && p.CA {
		if err := copyTo(ctx, p.Nix, p.To, "outputs", outs); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// Summary is the push's closing line.
func (r *PushResult) Summary(to string) string {
	what := fmt.Sprintf("%d %s", r.Paths, plural(r.Paths, "path"))
	if r.Realisations > 0 {
		what += fmt.Sprintf(" and %d %s", r.Realisations, plural(r.Realisations, "realisation"))
	}
	if r.NewPaths == 0 && r.NewRealisations == 0 {
		return fmt.Sprintf("nothing new to %s: it holds all %s already", to, what)
	}
	return fmt.Sprintf("%s to %s (%d new %s)", what, to, r.NewPaths, plural(r.NewPaths, "path"))
}

// copyTo runs `nix copy --to url` on the installables, which come on stdin.
func copyTo(ctx context.Context, nix, to, what string, installables []string) error {
	_, err := run.Output(ctx, run.Cmd{
		Args:  nixArgs(nix, "copy", "--to", to, "--stdin"),
		Stdin: strings.NewReader(strings.Join(installables, "\n") + "\n"),
	})
	if err != nil {
		var re *run.Error
		if errors.As(err, &re) {
			return fmt.Errorf("pushing %s to %s: nix copy failed (%v): %s", what, to, re.Err, lastLine(re.Stderr))
		}
		return fmt.Errorf("pushing %s to %s: %w", what, to, err)
	}
	return nil
}

// sign adds signatures made with the secret key in file to paths in the store
// Nix uses now, so that every destination (binary caches, ssh stores) gets them.
func sign(ctx context.Context, nix, file string, paths []string) error {
	const chunk = 1000
	for start := 0; start < len(paths); start += chunk {
		part := paths[start:min(start+chunk, len(paths))]
		_, err := run.Output(ctx, run.Cmd{
			Args:  nixArgs(nix, "store", "sign", "--key-file", file, "--stdin"),
			Stdin: strings.NewReader(strings.Join(part, "\n") + "\n"),
		})
		if err != nil {
			var re *run.Error
			if errors.As(err, &re) {
				return fmt.Errorf("signing with %s: %s", file, lastLine(re.Stderr))
			}
			return fmt.Errorf("signing with %s: %w", file, err)
		}
	}
	return nil
}

// fileCacheDir is the directory of a file:// binary cache URL.
func fileCacheDir(to string) (string, bool) {
	u, err := url.Parse(to)
	if err != nil || u.Scheme != "file" {
		return "", false
	}
	return u.Path, true
}

// lastLine is the last non-empty line of Nix's stderr: its error.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for k := len(lines) - 1; k >= 0; k-- {
		if l := strings.TrimSpace(lines[k]); l != "" {
			return l
		}
	}
	return "(no message)"
}

func union(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range append(append([]string{}, a...), b...) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
