package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The flag-oracle fixtures (testdata/workspaces), built through Nix, give
// binaries that print what Cargo's binaries print: profiles with inherits, LTO,
// [env] and build.rustflags from .cargo/config.toml, [lints], multiple bins, a
// root package, a dylib dependency, workspace inheritance, include_str! and
// include_bytes!, an optional `dep:` dependency and required-features, a
// `links` build script overridden by the configuration, C compiled by the cc
// crate and a build script probing $RUSTC.
func TestFixturesMatchCargo(t *testing.T) {
	requireTools(t)
	for _, tc := range []struct {
		name, dir string
		flags     []string
		profile   string // Cargo's output directory under target/
		env       []string
	}{
		{name: "config", dir: "config", profile: "debug"},
		{name: "config-RUSTFLAGS", dir: "config", profile: "debug", env: []string{"RUSTFLAGS=--cfg from_env"}},
		{name: "lints", dir: "lints", profile: "debug"},
		{name: "profiles-release", dir: "profiles", flags: []string{"--release"}, profile: "release"},
		{name: "profiles-custom", dir: "profiles", flags: []string{"--profile", "custom"}, profile: "custom"},
		{name: "rootpkg", dir: "rootpkg", profile: "debug"},
		{name: "targets", dir: "targets", profile: "debug"},
		{name: "inherit", dir: "inherit", profile: "debug"},
		{name: "links-override", dir: "links", profile: "debug"},
		{name: "native", dir: "native", profile: "debug"},
		{name: "native-release", dir: "native", flags: []string{"--release"}, profile: "release"},
		{name: "inherit-features", dir: "inherit", flags: []string{"--no-default-features", "--features", "extra"}, profile: "debug"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ws := filepath.Join(t.TempDir(), tc.dir)
			if out, err := exec.Command("cp", "-r", filepath.Join(repoRoot(), "testdata", "workspaces", tc.dir), ws).CombinedOutput(); err != nil {
				t.Fatalf("copying: %v\n%s", err, out)
			}
			os.RemoveAll(filepath.Join(ws, "target"))
			r := cnuEnv(t, ws, tc.env, append([]string{"build", "--no-link", "--print-out-paths"}, tc.flags...)...)
			if r.code != 0 {
				t.Fatalf("cargo nix-unit build: exit %d\n%s", r.code, r.stderr)
			}
			out := strings.TrimSpace(r.stdout)
			target := filepath.Join(t.TempDir(), "target")
			c := run(t, ws, append([]string{"CARGO_TARGET_DIR=" + target}, tc.env...), "cargo", append([]string{"build", "-q"}, tc.flags...)...)
			if c.code != 0 {
				t.Fatalf("cargo build: exit %d\n%s", c.code, c.stderr)
			}
			bins, _ := os.ReadDir(filepath.Join(out, "bin"))
			var names []string
			for _, b := range bins {
				names = append(names, b.Name())
			}
			sort.Strings(names)
			if len(names) == 0 {
				t.Fatalf("the result %s holds no binaries", out)
			}
			for _, name := range names {
				got := run(t, ws, nil, filepath.Join(out, "bin", name))
				want := run(t, ws, nil, filepath.Join(target, tc.profile, name))
				if got.stdout != want.stdout || got.code != want.code {
					t.Errorf("%s prints (exit %d)\n%s\nCargo's prints (exit %d)\n%s", name, got.code, got.stdout, want.code, want.stdout)
				}
			}
		})
	}
}
