package gather

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/buildscript"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/cargoconfig"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/manifest"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/native"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/toolchain"
)

// Configure gives the planner what Cargo reads besides the unit graph: rustflags
// and [env] from its configuration as found from dir (where Cargo runs) and the
// environment, rustc's cfg values under those rustflags, and each package's
// [lints] and harness settings from its Cargo.toml. in.Graph must be set.
func Configure(ctx context.Context, in *plan.Input, tc *toolchain.Toolchain, dir string) error {
	if dir == "" {
		dir = "."
	}
	cc, err := cargoconfig.Load(dir, os.Getenv)
	if err != nil {
		return err
	}
	// Host units get no rustflags once a target is requested (cargo:
	// target_info.rs, extra_args); without one, the host is the target.
	crossing := false
	platforms := map[string]bool{"": true}
	for _, u := range in.Graph.Units {
		if u.Platform != nil {
			crossing = true
			platforms[*u.Platform] = true
		}
	}
	flags := map[string][]string{}
	for p := range platforms {
		if p == "" && crossing {
			continue
		}
		triple := p
		if triple == "" {
			triple = tc.Host
		}
		f, err := cc.Rustflags(triple, tc.Cfg[p], os.LookupEnv)
		if err != nil {
			return fmt.Errorf("cargo configuration (%v): %w", cc.Files, err)
		}
		flags[p] = f
	}
	if err := tc.ApplyRustflags(ctx, flags); err != nil {
		return err
	}
	// Host units use the host's linker even when a target is requested.
	in.Linkers = map[string]string{}
	for p := range platforms {
		triple := p
		if triple == "" {
			triple = tc.Host
		}
		l, err := cc.Linker(triple, tc.Cfg[p])
		if err != nil {
			return fmt.Errorf("cargo configuration (%v): %w", cc.Files, err)
		}
		if l == "" {
			continue
		}
		if in.Linkers[p], err = tc.AddLinker(l); err != nil {
			return fmt.Errorf("cargo configuration (%v): target %s: %w", cc.Files, triple, err)
		}
	}
	var pkgs []native.Package
	seen := map[string]bool{}
	for _, u := range in.Graph.Units {
		if p := u.Package; !seen[p.ID] {
			seen[p.ID] = true
			pkgs = append(pkgs, native.Package{Name: p.Name, Manifest: p.ManifestPath, Metadata: p.Metadata})
		}
	}
	if in.Native, err = native.Load(in.Graph.Workspace.WorkspaceRoot, pkgs); err != nil {
		return err
	}
	in.LinksOverrides = map[string]map[string]*buildscript.Output{}
	for triple, byLinks := range cc.LinksOverrides {
		for links, table := range byLinks {
			o, err := buildscript.FromOverride(table)
			if err != nil {
				return fmt.Errorf("cargo configuration (%v): target.%s.%s: %w", cc.Files, triple, links, err)
			}
			if in.LinksOverrides[triple] == nil {
				in.LinksOverrides[triple] = map[string]*buildscript.Output{}
			}
			in.LinksOverrides[triple][links] = o
		}
	}
	in.Toolchain = tc.Toolchain
	in.Rustflags = flags
	in.Rustdocflags = cargoconfig.Rustdocflags(os.LookupEnv)
	in.ConfigEnv = cc.EnvFor(os.LookupEnv)

	in.Manifests = map[string]*manifest.Manifest{}
	for _, u := range in.Graph.Units {
		p := u.Package
		if _, ok := in.Manifests[p.ID]; ok {
			continue
		}
		m, err := manifest.Read(p.ManifestPath)
		if err != nil {
			return fmt.Errorf("package %s %s: %w", p.Name, p.Version, err)
		}
		in.Manifests[p.ID] = m
	}
	root := filepath.Join(in.Graph.Workspace.WorkspaceRoot, "Cargo.toml")
	if in.ProfileInherits, err = manifest.ProfileInherits(root); err != nil {
		return err
	}
	return nil
}
