package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"runtime/debug"
	"strings"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"
	"github.com/urfave/cli/v2"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/drvjson"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/run"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/store"
)

// toolVersion is the link-time version, else the module version `go install
// ...@v1.2.3` records, else "dev".
func toolVersion() string {
	if version != "dev" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return version
}

// printVersion prints "cargo-nix-unit 0.1.0 (nix 2.26.3, content-addressed: on)".
// It never fails: what Nix cannot tell is said in the parentheses.
func printVersion(c *cli.Context) {
	fmt.Fprintf(c.App.Writer, "%s %s (%s)\n", c.App.Name, toolVersion(), nixInfo(c.Context, "nix", nixSystem()))
}

// nixInfo describes the Nix that `build` would use. It writes nothing to the
// store: the CA answer is the one `--content-addressed=auto` got before (its
// probe derivation is registered), else whether nix.conf enables ca-derivations.
func nixInfo(ctx context.Context, nix, system string) string {
	out, err := run.Output(ctx, run.Cmd{Args: []string{nix, "--version"}})
	if errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist) {
		return "nix: not found"
	}
	if err != nil {
		return "nix: " + firstLine(err.Error())
	}
	v, err := drvjson.ParseVersion(string(out))
	if err != nil {
		if v.Major > 0 {
			return fmt.Sprintf("nix %s: too old, needs 2.18 or newer", v)
		}
		return "nix: " + firstLine(err.Error())
	}
	name := "nix " + v.String()
	if v.Lix {
		name = v.String()
	}
	return name + ", content-addressed: " + caState(ctx, &store.CLI{Nix: nix, Version: v}, system)
}

// errNotProbed stops store.ProbeCA before it registers its probe.
var errNotProbed = errors.New("not probed yet")

// probeOnly is a store that answers queries but adds nothing.
type probeOnly struct{ store.Store }

func (probeOnly) AddDerivation(context.Context, *nixdrv.Derivation, string) error {
	return errNotProbed
}

func caState(ctx context.Context, st *store.CLI, system string) string {
	ok, err := store.ProbeCA(ctx, probeOnly{st}, system, "")
	switch {
	case err == nil && ok:
		return "on"
	case err != nil && !errors.Is(err, errNotProbed):
		return "unknown"
	}
	out, err := run.Output(ctx, run.Cmd{Args: []string{st.Nix, "--extra-experimental-features", "nix-command", "config", "show", "experimental-features"}})
	if err != nil {
		return "unknown"
	}
	for _, f := range strings.Fields(string(out)) {
		if f == "ca-derivations" {
			return "on"
		}
	}
	return "off"
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
