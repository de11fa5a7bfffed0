package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testtool"
)

// With the toolchain copied into the store (--toolchain=store, the default),
// derivations name nothing of the machine they were planned on: the same
// toolchain under another RUSTUP_HOME, another HOME (so another CARGO_HOME) and
// another workspace directory give the same .drv paths, hence byte-identical
// .drv files, for every unit of examples/workspace and of the corpus; no .drv
// holds a path under either home, workspace or $TMPDIR; another toolchain
// version gives other derivations for every unit.
func TestDerivationsHostIndependent(t *testing.T) {
	requireTools(t)
	sysroot := strings.TrimSpace(run(t, repoRoot(), nil, "rustc", "--print", "sysroot").stdout)
	toolchains := filepath.Dir(sysroot)
	if filepath.Base(toolchains) != "toolchains" {
		testtool.Unavailable(t, "rustc is not a rustup toolchain ("+sysroot+")")
	}
	name := filepath.Base(sysroot)
	other := otherToolchain(t, toolchains, name)

	// B: a second RUSTUP_HOME holding the same toolchain (hard links), chosen
	// by its settings.toml as rustup's default; a second HOME.
	tmp := t.TempDir()
	rustupB, homeB := filepath.Join(tmp, "rustup"), filepath.Join(tmp, "home")
	os.MkdirAll(filepath.Join(rustupB, "toolchains"), 0o755)
	os.MkdirAll(homeB, 0o755)
	copyTree(t, sysroot, filepath.Join(rustupB, "toolchains", name))
	settings := "version = \"12\"\ndefault_toolchain = \"" + name + "\"\nprofile = \"default\"\n"
	if err := os.WriteFile(filepath.Join(rustupB, "settings.toml"), []byte(settings), 0o644); err != nil {
		t.Fatal(err)
	}
	envB := []string{"HOME=" + homeB, "RUSTUP_HOME=" + rustupB, "CARGO_HOME=" + filepath.Join(homeB, ".cargo")}
	if os.Getenv("RUSTUP_TOOLCHAIN") != "" {
		envB = append(envB, "RUSTUP_TOOLCHAIN="+name)
	}
	if got := strings.TrimSpace(run(t, tmp, envB, "rustc", "--print", "sysroot").stdout); got != filepath.Join(rustupB, "toolchains", name) {
		t.Fatalf("rustup in the second RUSTUP_HOME resolves rustc to %q", got)
	}
	home, _ := os.UserHomeDir()
	forbidden := []string{home + "/", homeB + "/", rustupB + "/", os.TempDir() + "/"}
	if ch := os.Getenv("CARGO_HOME"); ch != "" {
		forbidden = append(forbidden, ch+"/")
	}

	for _, src := range []string{"examples/workspace", "testdata/corpus"} {
		t.Run(filepath.Base(src), func(t *testing.T) {
			base := filepath.Base(src)
			wsA, wsB := filepath.Join(tmp, "a", base), filepath.Join(tmp, "b", base)
			for _, ws := range []string{wsA, wsB} {
				copyDir(t, filepath.Join(repoRoot(), src), ws)
			}
			a := dryRunDrvs(t, wsA, nil)
			b := dryRunDrvs(t, wsB, envB)
			if strings.Join(a, "\n") != strings.Join(b, "\n") {
				t.Errorf("another RUSTUP_HOME, HOME and workspace directory give other derivations:\n%s", diffLines(a, b))
			}
			for _, drv := range b {
				aterm, err := os.ReadFile(drv)
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range append(forbidden, wsA, wsB) {
					if strings.Contains(string(aterm), p) {
						t.Errorf("%s names the host path %s", drv, p)
					}
				}
			}
			t.Logf("%d derivations, the same from both homes", len(b))

			// Another toolchain: every unit's derivation is another.
			mine := map[string]bool{}
			for _, d := range a {
				mine[d] = true
			}
			units := graphDrvs(t, wsA, []string{"RUSTUP_TOOLCHAIN=" + other})
			for key, d := range units {
				if mine[d] {
					t.Errorf("unit %s: %s gives the same derivation as %s (%s)", key, other, name, d)
				}
			}
			if len(units) == 0 {
				t.Errorf("graph --json under %s lists no units", other)
			}
			t.Logf("%d units under %s, each with another derivation", len(units), other)
		})
	}

	// The search above finds host paths where there are some: a host toolchain
	// is named by its path.
	t.Run("host toolchain", func(t *testing.T) {
		ws := filepath.Join(tmp, "host", "workspace")
		copyDir(t, filepath.Join(repoRoot(), "examples/workspace"), ws)
		drvs := dryRunDrvs(t, ws, envB, "--toolchain=host")
		aterm, err := os.ReadFile(drvs[0])
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(aterm), rustupB+"/") {
			t.Errorf("with --toolchain=host, %s does not name the toolchain in %s", drvs[0], rustupB)
		}
	})
}

// otherToolchain picks an installed toolchain other than name (nightly here).
func otherToolchain(t *testing.T, toolchains, name string) string {
	t.Helper()
	entries, _ := os.ReadDir(toolchains)
	for _, e := range entries {
		if e.IsDir() && e.Name() != name {
			return e.Name()
		}
	}
	testtool.Unavailable(t, "only one rustup toolchain is installed; this test needs another version (rustup toolchain install nightly)")
	return ""
}

// copyTree copies dir with hard links where the file system allows.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	if err := exec.Command("cp", "-al", from, to).Run(); err == nil {
		return
	}
	os.RemoveAll(to)
	if out, err := exec.Command("cp", "-a", from, to).CombinedOutput(); err != nil {
		t.Fatalf("copying %s: %v\n%s", from, err, out)
	}
}

// copyDir copies a workspace to a new directory without its build output.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(to), 0o755)
	if out, err := exec.Command("cp", "-r", from, to).CombinedOutput(); err != nil {
		t.Fatalf("copying %s: %v\n%s", from, err, out)
	}
	os.RemoveAll(filepath.Join(to, "target"))
	os.Remove(filepath.Join(to, "result"))
}

// dryRunDrvs registers the workspace's derivations and returns their paths,
// dependencies first, the result last.
func dryRunDrvs(t *testing.T, ws string, env []string, args ...string) []string {
	t.Helper()
	r := cnuEnv(t, ws, env, append([]string{"build", "--dry-run"}, args...)...)
	if r.code != 0 {
		t.Fatalf("build --dry-run: exit %d\n%s", r.code, r.stderr)
	}
	return strings.Fields(r.stdout)
}

// graphDrvs maps each unit's key to its .drv path, as graph --json plans them
// (nothing is registered).
func graphDrvs(t *testing.T, ws string, env []string) map[string]string {
	t.Helper()
	r := cnuEnv(t, ws, env, "graph", "--json")
	if r.code != 0 {
		t.Fatalf("graph --json: exit %d\n%s", r.code, r.stderr)
	}
	var g struct {
		Units []struct {
			Key     string `json:"key"`
			DrvPath string `json:"drvPath"`
		} `json:"units"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &g); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, u := range g.Units {
		out[u.Key] = u.DrvPath
	}
	return out
}

// diffLines shows the lines only one side has.
func diffLines(a, b []string) string {
	in := func(xs []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range xs {
			m[x] = true
		}
		return m
	}
	ina, inb := in(a), in(b)
	var out []string
	for _, x := range a {
		if !inb[x] {
			out = append(out, "- "+x)
		}
	}
	for _, x := range b {
		if !ina[x] {
			out = append(out, "+ "+x)
		}
	}
	return strings.Join(out, "\n")
}
