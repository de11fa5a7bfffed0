package store

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/aterm"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/drvjson"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/run"
)

// Features are passed on every call: clients never inherit them from the daemon.
var Features = []string{"--extra-experimental-features", "nix-command ca-derivations"}

// CLI drives the store through the `nix` command line.
type CLI struct {
	Nix     string // the nix program
	Version drvjson.Version
	// Store is the store URL to work on (nix --store); "" is Nix's own store.
	Store string
}

var _ Store = (*CLI)(nil)

// NewCLI finds out the version of nix, which decides the derivation JSON format.
func NewCLI(ctx context.Context, nix string) (*CLI, error) {
	if nix == "" {
		nix = "nix"
	}
	out, err := run.Output(ctx, run.Cmd{Args: []string{nix, "--version"}})
	if err != nil {
		return nil, fmt.Errorf("nix is needed (Nix 2.18 or newer): %w", err)
	}
	v, err := drvjson.ParseVersion(strings.TrimSpace(string(out)))
	if err != nil {
		return nil, err
	}
	return &CLI{Nix: nix, Version: v}, nil
}

func (c *CLI) nix(args ...string) []string {
	return append(append(append([]string{c.Nix}, Features...), c.storeArgs()...), args...)
}

func (c *CLI) storeArgs() []string {
	if c.Store == "" {
		return nil
	}
	return []string{"--store", c.Store}
}

func (c *CLI) ValidPaths(ctx context.Context, paths []string) (map[string]bool, error) {
	valid := map[string]bool{}
	const chunk = 500
	for start := 0; start < len(paths); start += chunk {
		part := paths[start:min(start+chunk, len(paths))]
		out, err := run.Output(ctx, run.Cmd{Args: append(append([]string{c.Nix + "-store"}, c.storeArgs()...), append([]string{"--check-validity", "--print-invalid"}, part...)...)})
		if err != nil {
			return nil, fmt.Errorf("checking store paths: %w", err)
		}
		invalid := map[string]bool{}
		for _, l := range strings.Fields(string(out)) {
			invalid[l] = true
		}
		for _, p := range part {
			if !invalid[p] {
				valid[p] = true
			}
		}
	}
	return valid, nil
}

func (c *CLI) AddPath(ctx context.Context, name, local, want string) error {
	out, err := run.Output(ctx, run.Cmd{Args: c.nix("store", "add-path", "--name", name, local)})
	if err != nil {
		return fmt.Errorf("adding %s to the store: %w", local, err)
	}
	if got := strings.TrimSpace(string(out)); got != want {
		return fmt.Errorf("adding %s to the store: nix made %s, cargo-nix-unit computed %s", local, got, want)
	}
	return nil
}

func (c *CLI) AddFlat(ctx context.Context, name, local, want string) error {
	out, err := run.Output(ctx, run.Cmd{Args: c.nix("store", "add-file", "--name", name, local)})
	if err != nil {
		return fmt.Errorf("adding %s to the store: %w", local, err)
	}
	if got := strings.TrimSpace(string(out)); got != want {
		return fmt.Errorf("adding %s to the store: nix made %s, cargo-nix-unit computed %s", local, got, want)
	}
	return nil
}

func (c *CLI) AddDerivation(ctx context.Context, d *nixdrv.Derivation, want string) error {
	js, err := drvjson.Encode(d, c.Version)
	if err != nil {
		return err
	}
	out, err := run.Output(ctx, run.Cmd{Args: c.nix("derivation", "add"), Stdin: bytes.NewReader(js)})
	if err != nil {
		return fmt.Errorf("registering %s: %w", want, err)
	}
	if got := strings.TrimSpace(string(out)); got != want {
		return fmt.Errorf("registering derivation %s: nix made %s, cargo-nix-unit computed %s\nATerm: %s",
			d.Env["name"], got, want, aterm.Bytes(d))
	}
	return nil
}
