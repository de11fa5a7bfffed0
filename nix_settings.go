package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v2"
)

// Flags that choose the Nix store and Nix settings for one run: --store,
// --option NAME VALUE (repeatable) and --builders.
//
// They reach every nix process the tool starts through the environment, as
// Nix itself reads it (nix: libstore/globals.cc): the `store` setting's default
// is NIX_REMOTE, and NIX_CONFIG holds configuration lines applied after
// nix.conf. So `nix build`, the nix calls of graph and push, and the spawned
// `nix daemon --stdio` that registers derivations all use the same store and
// settings, with no flag threaded through each call.

// storeFlag names the store to build in (any store URL Nix takes).
func storeFlag() cli.Flag {
	return &cli.StringFlag{Name: "store", Usage: "build in the Nix store `URL` (e.g. local?root=/tmp/store); default: Nix's own"}
}

// settingsFlags pass Nix settings through.
func settingsFlags() []cli.Flag {
	return []cli.Flag{
		&cli.GenericFlag{Name: "option", Value: &optionList{}, Usage: "set the Nix setting `NAME VALUE` for this run (repeatable), e.g. --option substituters file:///tmp/cache"},
		&cli.StringFlag{Name: "builders", Usage: "Nix remote builders (`SPEC` as in nix.conf's builders), e.g. 'ssh-ng://host x86_64-linux'; with -j 0 every unit builds on them"},
	}
}

// optionList collects --option values, each "NAME=VALUE" (see joinOptionArgs),
// in order and without splitting at commas.
type optionList struct{ pairs [][2]string }

func (o *optionList) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return fmt.Errorf("--option %q: want --option NAME VALUE", s)
	}
	o.pairs = append(o.pairs, [2]string{name, value})
	return nil
}

func (o *optionList) String() string {
	var b []string
	for _, p := range o.pairs {
		b = append(b, p[0]+"="+p[1])
	}
	return strings.Join(b, " ")
}

// joinOptionArgs rewrites Nix's two-word `--option NAME VALUE` into
// `--option=NAME=VALUE`, the one-value form the flag parser takes. Arguments
// after `--` are left alone (they belong to test executables).
func joinOptionArgs(args []string) []string {
	out := make([]string, 0, len(args))
	for k := 0; k < len(args); k++ {
		a := args[k]
		if a == "--" {
			return append(out, args[k:]...)
		}
		if a == "--option" && k+2 < len(args) {
			out = append(out, "--option="+args[k+1]+"="+args[k+2])
			k += 2
			continue
		}
		out = append(out, a)
	}
	return out
}

// storeURLLast moves push's STORE-URL, which comes first (`push URL
// [build flags]`), behind the flags: the flag parser stops at the first
// argument that is not a flag.
func storeURLLast(args []string) []string {
	if len(args) < 3 || args[1] != "push" || strings.HasPrefix(args[2], "-") {
		return args
	}
	out := append(append([]string{}, args[:2]...), args[3:]...)
	return append(out, args[2])
}

// nixSettings are the settings a command's flags ask for, in order.
func nixSettings(c *cli.Context) ([][2]string, error) {
	var pairs [][2]string
	if o, ok := c.Generic("option").(*optionList); ok && o != nil {
		pairs = append(pairs, o.pairs...)
	}
	if c.IsSet("builders") {
		pairs = append(pairs, [2]string{"builders", c.String("builders")})
	}
	for _, p := range pairs {
		if strings.ContainsAny(p[0], " \t\n#=") {
			return nil, fmt.Errorf("--option %q: not a Nix setting name", p[0])
		}
		// NIX_CONFIG is line-based and `#` starts a comment there.
		if strings.ContainsAny(p[1], "\n#") {
			return nil, fmt.Errorf("--option %s: the value %q holds a newline or '#', which Nix's configuration syntax cannot carry", p[0], p[1])
		}
	}
	return pairs, nil
}

// applyNixSettings puts --store and the settings into this process's
// environment, which every nix process it starts inherits.
func applyNixSettings(c *cli.Context) error {
	pairs, err := nixSettings(c)
	if err != nil {
		return err
	}
	if c.IsSet("store") {
		url := c.String("store")
		if url == "" {
			return fmt.Errorf("--store: want a store URL, e.g. local?root=/tmp/store")
		}
		if err := os.Setenv("NIX_REMOTE", url); err != nil {
			return err
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	conf := os.Getenv("NIX_CONFIG")
	for _, p := range pairs {
		conf += "\n" + p[0] + " = " + p[1]
	}
	return os.Setenv("NIX_CONFIG", strings.TrimPrefix(conf, "\n"))
}
