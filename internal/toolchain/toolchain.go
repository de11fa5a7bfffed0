// Package toolchain finds the real rustc, its sysroot and the linker, and what the Nix sandbox must expose for them.
package toolchain

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/run"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/source"
)

// Toolchain is the planner's view plus where it lives.
type Toolchain struct {
	plan.Toolchain
	Sysroot     string // the sysroot the jobs use: HostSysroot or its store copy
	HostSysroot string // where rustc lives on this machine
	// InStore reports whether the jobs need nothing from the host: rustc and the
	// linker are in /nix/store, and SandboxPaths is empty.
	InStore      bool
	StorePaths   []string // store paths the jobs name: inputs of every derivation
	SandboxPaths []string // host paths the jobs name, which the sandbox must show
	// CC is the linker rustc runs by default, `cc` as found on PATH (empty when
	// there is none): the jobs reach it by name.
	CC string

	// Copy is the store copy of a host toolchain the jobs use (store mode), which
	// the store must get before a build; nil when there is none.
	Copy *source.Tree `json:"-"`
}

// Detect inspects rustc (a path or a name on PATH; rustup proxies are resolved to
// the real compiler through --print sysroot) and the linker `cc`.
func Detect(ctx context.Context, rustc string, targets []string) (*Toolchain, error) {
	if rustc == "" {
		rustc = "rustc"
	}
	vv, err := run.Output(ctx, run.Cmd{Args: []string{rustc, "-vV"}})
	if err != nil {
		return nil, fmt.Errorf("rustc is needed: %w", err)
	}
	sysroot, err := run.Output(ctx, run.Cmd{Args: []string{rustc, "--print", "sysroot"}})
	if err != nil {
		return nil, fmt.Errorf("asking rustc for its sysroot: %w", err)
	}
	t := &Toolchain{Sysroot: strings.TrimSpace(string(sysroot))}
	t.HostSysroot = t.Sysroot
	t.Version = string(vv)
	for _, l := range strings.Split(t.Version, "\n") {
		if h, ok := strings.CutPrefix(l, "host: "); ok {
			t.Host = strings.TrimSpace(h)
		}
	}
	bin := filepath.Join(t.Sysroot, "bin")
	t.Rustc = filepath.Join(bin, "rustc")
	t.Rustdoc = filepath.Join(bin, "rustdoc")
	t.Cargo = filepath.Join(bin, "cargo")
	t.Cfg = map[string][]string{}
	for _, target := range append([]string{""}, targets...) {
		if t.Cfg[target], err = t.printCfg(ctx, target, nil); err != nil {
			return nil, err
		}
	}

	// rustc runs `cc` from PATH, as under Cargo: no -C linker=, because a
	// linker named on the command line changes the flavour rustc infers for
	// it, and x86_64 Linux would then link with the system's ld instead of
	// the toolchain's rust-lld, as rustc does by default since 1.90 (and 4-5
	// times slower on a large binary). The jobs' PATH holds cc's directory.
	paths := []string{bin}
	if cc, err := exec.LookPath("cc"); err == nil {
		if cc, err = filepath.Abs(cc); err == nil {
			t.CC = cc
			paths = append(paths, filepath.Dir(cc))
		}
	}
	t.Path = strings.Join(paths, ":")

	if strings.HasPrefix(t.Sysroot, "/nix/store/") {
		// Used as it is: an input of every derivation, with no host path unless
		// the linker is the host's.
		t.StorePaths = []string{storeRoot(t.Sysroot)}
		t.InStore = true
		if t.CC != "" {
			if _, err := t.AddLinker(t.CC); err != nil {
				return nil, err
			}
		}
	} else {
		t.useHost()
	}
	sort.Strings(t.StorePaths)
	return t, nil
}

// useHost makes the sandbox show the toolchain and the base system.
func (t *Toolchain) useHost() {
	t.InStore = false
	t.SandboxPaths = systemPaths()
	if !inSystem(t.Sysroot) {
		t.SandboxPaths = append([]string{t.Sysroot}, t.SandboxPaths...)
	}
}

// AddLinker makes a configured linker (target.<t>.linker) reachable by the jobs:
// on PATH, and as a derivation input or in the sandbox. It returns the path to
// pass as -C linker=: a name is looked up on PATH, and symlinks are resolved
// (the sandbox has no /etc/alternatives).
func (t *Toolchain) AddLinker(linker string) (string, error) {
	path := linker
	if !strings.Contains(linker, "/") {
		p, err := exec.LookPath(linker)
		if err != nil {
			return "", fmt.Errorf("linker %s: %w", linker, err)
		}
		path = p
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", fmt.Errorf("linker %s: %w", linker, err)
	}
	if real, err = filepath.Abs(real); err != nil {
		return "", err
	}
	dir := filepath.Dir(real)
	if !slices.Contains(strings.Split(t.Path, ":"), dir) {
		t.Path += ":" + dir
	}
	if strings.HasPrefix(real, "/nix/store/") {
		if root := storeRoot(real); !slices.Contains(t.StorePaths, root) {
			t.StorePaths = append(t.StorePaths, root)
			sort.Strings(t.StorePaths)
		}
		return real, nil
	}
	if t.InStore {
		// A host linker for a store toolchain: the sandbox shows the system.
		t.InStore = false
		t.SandboxPaths = systemPaths()
	}
	for _, p := range t.SandboxPaths {
		if real == p || strings.HasPrefix(real, p+"/") {
			return real, nil
		}
	}
	t.SandboxPaths = append(t.SandboxPaths, dir)
	return real, nil
}

// ApplyRustflags asks rustc again for the cfg values of each target whose units
// get rustflags: Cargo runs `rustc --print cfg` with them, so build scripts see
// --cfg and -C target-feature flags in CARGO_CFG_*. flags is keyed like Cfg.
func (t *Toolchain) ApplyRustflags(ctx context.Context, flags map[string][]string) error {
	for target, f := range flags {
		if len(f) == 0 {
			continue
		}
		cfg, err := t.printCfg(ctx, target, f)
		if err != nil {
			return err
		}
		t.Cfg[target] = cfg
	}
	return nil
}

func (t *Toolchain) printCfg(ctx context.Context, target string, flags []string) ([]string, error) {
	args := []string{t.Rustc, "--print", "cfg"}
	if target != "" {
		args = append(args, "--target", target)
	}
	out, err := run.Output(ctx, run.Cmd{Args: append(args, flags...)})
	if err != nil {
		return nil, fmt.Errorf("asking rustc for cfg values: %w", err)
	}
	return strings.Fields(string(out)), nil
}

func storeRoot(p string) string {
	parts := strings.SplitN(strings.TrimPrefix(p, "/nix/store/"), "/", 2)
	return "/nix/store/" + parts[0]
}
