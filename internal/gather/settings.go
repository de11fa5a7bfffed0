package gather

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// SettingsFiles lists the files besides sources that decide Cargo's answers
// and the plan: every manifest, the lock file, Cargo's and rustup's
// configuration from dir upwards and in their homes, and the programs used.
func SettingsFiles(dir string, g *unitgraph.Graph, cfg *Config, extra ...string) []string {
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

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
