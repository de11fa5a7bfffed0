package engine

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/noop"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// NoopInputs lists what decides this plan, for the no-op fingerprint: the path
// packages' directories, every manifest, the lock file, Cargo's and rustup's
// configuration from dir upwards and in their homes, and the programs used.
func (p *Plan) NoopInputs(dir string, cfg *Config) noop.Inputs {
	var in noop.Inputs
	dirs := map[string]bool{}
	for _, u := range p.Graph.Units {
		if u.Package.IsPath() {
			dirs[u.Package.Dir()] = true
		}
	}
	for d := range dirs {
		in.Dirs = append(in.Dirs, d)
	}
	sort.Strings(in.Dirs)
	in.Skip = writtenPaths(p.Graph, cfg)
	in.Files = settingsFiles(dir, p.Graph, cfg, p.Toolchain.Rustc, p.Builder.Dir)
	// The walk of Dirs sees files come and go, but not a new member outside them.
	in.Layout = layoutPaths(p.Graph)
	return in
}

// settingsFiles lists the files besides sources that decide Cargo's answers
// and the plan: every manifest, the lock file, Cargo's and rustup's
// configuration from dir upwards and in their homes, and the programs used.
func settingsFiles(dir string, g *unitgraph.Graph, cfg *Config, extra ...string) []string {
	files := map[string]bool{}
	for _, u := range g.Units {
		files[u.Package.ManifestPath] = true
	}
	root := g.Workspace.WorkspaceRoot
	files[filepath.Join(root, "Cargo.toml")] = true
	files[filepath.Join(root, "Cargo.lock")] = true
	for d := dir; ; d = filepath.Dir(d) {
		for _, f := range []string{".cargo/config", ".cargo/config.toml", "rust-toolchain", "rust-toolchain.toml"} {
			files[filepath.Join(d, f)] = true
		}
		if d == filepath.Dir(d) {
			break
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		cargoHome := os.Getenv("CARGO_HOME")
		if cargoHome == "" {
			cargoHome = filepath.Join(home, ".cargo")
		}
		rustupHome := os.Getenv("RUSTUP_HOME")
		if rustupHome == "" {
			rustupHome = filepath.Join(home, ".rustup")
		}
		files[filepath.Join(cargoHome, "config")] = true
		files[filepath.Join(cargoHome, "config.toml")] = true
		files[filepath.Join(rustupHome, "settings.toml")] = true
	}
	for _, prog := range []string{"cargo", "rustc", orDefault(cfg.Nix, "nix"), orDefault(cfg.Rustc, "rustc"), orDefault(cfg.Query.Cargo, "cargo")} {
		if path, err := exec.LookPath(prog); err == nil {
			files[path] = true
		}
	}
	if self, err := os.Executable(); err == nil {
		files[self] = true
	}
	for _, f := range extra {
		if f != "" {
			files[f] = true
		}
	}
	out := make([]string, 0, len(files))
	for f := range files {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// NoopResult is what a later no-op run shows again.
func (p *Plan) NoopResult(r *Report, outLink string) noop.Result {
	res := noop.Result{Out: r.Out, Profile: r.Profile, Traits: r.ProfileTraits}
	if outLink != "" {
		if abs, err := filepath.Abs(outLink); err == nil {
			res.OutLink = abs
		}
	}
	for _, i := range p.Order {
		res.Units = append(res.Units, p.Graph.Units[i].String())
	}
	var w bytes.Buffer
	if p.PrintWarnings(&w, r.Out, true) == nil {
		res.Warnings = w.String()
	}
	return res
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
