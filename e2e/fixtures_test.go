package e2e

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The flag-oracle fixtures (testdata/workspaces), built through Nix, give
// what Cargo gives: profiles with inherits, LTO, [env] and build.rustflags from
// .cargo/config.toml, [lints], multiple bins and examples, a root package, a
// dylib dependency, a cdylib and staticlib, workspace inheritance,
// include_str! and include_bytes!, an optional `dep:` dependency and
// required-features, a `links` build script overridden by the configuration, C
// compiled by the cc crate and a build script probing $RUSTC.
//
// Each case is built in debug and release, content-addressed and
// input-addressed (a custom profile content-addressed only); Cargo builds each
// profile once for both modes. Every binary and example Cargo produces must be
// in the result and print what Cargo's prints; every cdylib and staticlib must
// be in the result's lib/ and export the same symbols. (A `dylib`'s .so is not
// in the result: the result holds what `cargo install` would, not Rust dylibs.)
//
// Mutation check: with the root derivation copying no examples
// (internal/plan, planner.result), the targets case fails: "examples/ex1 is
// missing"; with it copying no staticlib, the profiles case fails.
func TestFixturesMatchCargo(t *testing.T) {
	requireTools(t)
	for _, tc := range []struct {
		name, dir string
		flags     []string
		env       []string
		extra     []string // profiles besides dev and release, built content-addressed only
	}{
		{name: "config", dir: "config"},
		{name: "config-RUSTFLAGS", dir: "config", env: []string{"RUSTFLAGS=--cfg from_env"}},
		{name: "lints", dir: "lints"},
		{name: "profiles", dir: "profiles", extra: []string{"custom"}},
		{name: "rootpkg", dir: "rootpkg"},
		{name: "targets", dir: "targets", flags: []string{"--bins", "--examples"}},
		{name: "inherit", dir: "inherit"},
		{name: "inherit-features", dir: "inherit", flags: []string{"--no-default-features", "--features", "extra"}},
		{name: "links-override", dir: "links"},
		{name: "native", dir: "native"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ws := filepath.Join(t.TempDir(), tc.dir)
			if out, err := exec.Command("cp", "-r", filepath.Join(repoRoot(), "testdata", "workspaces", tc.dir), ws).CombinedOutput(); err != nil {
				t.Fatalf("copying: %v\n%s", err, out)
			}
			os.RemoveAll(filepath.Join(ws, "target"))
			target := filepath.Join(t.TempDir(), "target")
			for _, profile := range append([]string{"dev", "release"}, tc.extra...) {
				flags := append([]string{"--profile", profile}, tc.flags...)
				want := cargoArtifacts(t, ws, append([]string{"CARGO_TARGET_DIR=" + target}, tc.env...), flags)
				modes := []string{"on", "off"}
				if slices.Contains(tc.extra, profile) {
					modes = modes[:1]
				}
				for _, ca := range modes {
					t.Run(profile+"/content-addressed="+ca, func(t *testing.T) {
						r := cnuEnv(t, ws, tc.env, append([]string{"build", "--no-link", "--print-out-paths", "--content-addressed=" + ca}, flags...)...)
						if r.code != 0 {
							t.Fatalf("cargo nix-unit build: exit %d\n%s", r.code, r.stderr)
						}
						compareArtifacts(t, ws, want, strings.TrimSpace(r.stdout))
					})
				}
			}
		})
	}
}

// artifact is a file Cargo produced that the result must hold: where in the
// result, and Cargo's file.
type artifact struct{ rel, file string }

// cargoArtifacts builds ws with Cargo and lists the executables (bins and
// examples) and C libraries (cdylib, staticlib) it produced, as its
// compiler-artifact messages name them.
func cargoArtifacts(t *testing.T, ws string, env, flags []string) []artifact {
	t.Helper()
	c := run(t, ws, env, "cargo", append([]string{"build", "-q", "--message-format=json"}, flags...)...)
	if c.code != 0 {
		t.Fatalf("cargo build %s: exit %d\n%s", strings.Join(flags, " "), c.code, c.stderr)
	}
	var arts []artifact
	for _, line := range strings.Split(c.stdout, "\n") {
		var m struct {
			Reason string `json:"reason"`
			Target struct {
				Kind       []string `json:"kind"`
				CrateTypes []string `json:"crate_types"`
				Name       string   `json:"name"`
			} `json:"target"`
			Filenames  []string `json:"filenames"`
			Executable *string  `json:"executable"`
		}
		if json.Unmarshal([]byte(line), &m) != nil || m.Reason != "compiler-artifact" {
			continue
		}
		switch {
		case m.Executable != nil && slices.Contains(m.Target.Kind, "bin"):
			arts = append(arts, artifact{"bin/" + m.Target.Name, *m.Executable})
		case m.Executable != nil && slices.Contains(m.Target.Kind, "example"):
			arts = append(arts, artifact{"examples/" + m.Target.Name, *m.Executable})
		case slices.Contains(m.Target.CrateTypes, "cdylib") || slices.Contains(m.Target.CrateTypes, "staticlib"):
			for _, f := range m.Filenames {
				if strings.HasSuffix(f, ".so") || strings.HasSuffix(f, ".a") {
					arts = append(arts, artifact{"lib/" + filepath.Base(f), f})
				}
			}
		}
	}
	if len(arts) == 0 {
		t.Fatalf("cargo build %s produced no binary or C library:\n%s", strings.Join(flags, " "), c.stdout)
	}
	return arts
}

// compareArtifacts checks that the result out holds every one of Cargo's
// artifacts and that each behaves as Cargo's: executables print the same and
// exit the same, C libraries export the same symbols.
func compareArtifacts(t *testing.T, ws string, want []artifact, out string) {
	t.Helper()
	for _, a := range want {
		got := filepath.Join(out, a.rel)
		if _, err := os.Stat(got); err != nil {
			t.Errorf("%s is missing from the result %s (Cargo built %s)", a.rel, out, a.file)
			continue
		}
		var symbols func(*testing.T, string) []string
		switch {
		case strings.HasSuffix(a.rel, ".so"):
			symbols = dynamicSymbols
		case strings.HasSuffix(a.rel, ".a"):
			symbols = archiveSymbols
		}
		switch {
		case symbols != nil:
			g, w := symbols(t, got), symbols(t, a.file)
			if len(w) == 0 {
				t.Errorf("Cargo's %s defines no symbol: the comparison proves nothing", a.file)
			}
			if !slices.Equal(g, w) {
				t.Errorf("%s defines %q, Cargo's %q", a.rel, g, w)
			}
		default:
			g, w := run(t, ws, nil, got), run(t, ws, nil, a.file)
			if g.stdout != w.stdout || g.code != w.code {
				t.Errorf("%s prints (exit %d)\n%s\nCargo's prints (exit %d)\n%s", a.rel, g.code, g.stdout, w.code, w.stdout)
			}
		}
	}
}

// dynamicSymbols lists the symbols a shared library defines for others, sorted.
func dynamicSymbols(t *testing.T, path string) []string {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	syms, err := f.DynamicSymbols()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var names []string
	for _, s := range syms {
		if s.Section != elf.SHN_UNDEF && elf.ST_BIND(s.Info) != elf.STB_LOCAL {
			names = append(names, s.Name)
		}
	}
	slices.Sort(names)
	return names
}

// archiveSymbols lists the symbols of a static library's index (the GNU ar
// "/" member) that are neither Rust-mangled nor LLVM's anonymous ones (those
// carry per-build hashes): the C ABI the library offers, sorted and without
// duplicates.
func archiveSymbols(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const magic, header = "!<arch>\n", 60
	if !bytes.HasPrefix(b, []byte(magic)) || len(b) < len(magic)+header+4 || string(b[len(magic):len(magic)+2]) != "/ " {
		t.Fatalf("%s is not an ar archive with a symbol index", path)
	}
	idx := b[len(magic)+header:]
	n := int(binary.BigEndian.Uint32(idx))
	if len(idx) < 4+4*n {
		t.Fatalf("%s: a symbol index of %d entries does not fit", path, n)
	}
	names := strings.Split(string(idx[4+4*n:]), "\x00")
	if len(names) < n {
		t.Fatalf("%s: %d symbol names for %d entries", path, len(names), n)
	}
	var out []string
	for _, s := range names[:n] {
		if !strings.HasPrefix(s, "_ZN") && !strings.HasPrefix(s, "_R") && !strings.HasPrefix(s, "anon.") && !strings.Contains(s, ".llvm.") {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
