package e2e

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Nothing the user did not choose reaches the store: files git ignores, .env files,
// target/, .git and the tool's environment stay out of every derivation, every
// source and every output. The workspace's root is virtual (no package, no
// source), so every file canary sits inside a package.
//
// Mutation checks: with `.git` no longer skipped by the source walk and the
// exclusion list (internal/source), "no git" finds the .git canary; with
// `.env` files no longer excluded, both subtests find theirs.
func TestSecretsStayOutOfTheStore(t *testing.T) {
	requireTools(t)
	t.Run("git", func(t *testing.T) { secretsStayOut(t, true) })
	// Without git there is no ignore list, the other exclusions hold.
	t.Run("no git", func(t *testing.T) { secretsStayOut(t, false) })
}

func secretsStayOut(t *testing.T, useGit bool) {
	ws := copyWorkspace(t, "workspace")
	canaries := map[string]string{
		"ignored":    "canary-gitignored-7f3a",
		"ignoreddir": "canary-ignored-dir-1c9e",
		"env":        "canary-dotenv-52b0",
		"envlocal":   "canary-dotenv-local-9d41",
		"target":     "canary-target-e62f",
		"github":     "ghp_canary0123456789abcdefghijklmnopqrstu",
		"aws":        "canary-aws-secret-3b8d",
		"mytoken":    "canary-my-token-a07c",
		"cargocred":  "canary-cargo-credentials-4e1d",
		"dotgit":     "canary-dot-git-8e21",
	}
	write := func(rel, data string) {
		p := filepath.Join(ws, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if useGit {
		write(".gitignore", "Cargo.lock\ntarget/\nresult\n*.secret\nprivate/\n")
		write("greeter/notes.secret", canaries["ignored"])
		write("app/src/keys.secret", canaries["ignored"])
		write("greeter/private/key.txt", canaries["ignoreddir"])
	}
	write("greeter/.env", "TOKEN="+canaries["env"])
	write("greeter-macros/.env", "TOKEN="+canaries["env"])
	write("app/.env.local", "TOKEN="+canaries["envlocal"])
	write("greeter/.cargo/credentials.toml", "[registry]\ntoken = \""+canaries["cargocred"]+"\"\n")
	write("app/.cargo/credentials", "[registry]\ntoken = \""+canaries["cargocred"]+"\"\n")
	write("greeter/target/marker", canaries["target"])
	write("greeter-macros/target/marker", canaries["target"])
	// Controls: a tracked file's content must be found in each package searched,
	// or the search proves nothing.
	controls := map[string]bool{}
	for _, pkg := range []string{"greeter", "greeter-macros"} {
		c := "control-tracked-file-" + pkg + "-" + filepath.Base(t.TempDir())
		write(pkg+"/control.txt", c)
		controls[c] = false
	}
	write("app/src/target/marker", "not a target dir: a package's own src/target is source")
	git := func(dir string, args ...string) {
		r := run(t, filepath.Join(ws, dir), []string{"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t"}, "git", args...)
		if r.code != 0 {
			t.Fatalf("git %s: %s", strings.Join(args, " "), r.stderr)
		}
	}
	if useGit {
		// A package that is a repository of its own (a submodule, a separate
		// checkout), inside the workspace's repository: its .git is in the
		// package's directory.
		git("greeter-macros", "init", "-q")
		write("greeter-macros/.gitignore", "target/\n")
		git("greeter-macros", "add", "-A")
		git("greeter-macros", "commit", "-q", "-m", "macros")
		write("greeter-macros/.git/canary", canaries["dotgit"])
		git(".", "init", "-q")
		git(".", "add", "-A")
		git(".", "commit", "-q", "-m", "workspace")
	} else {
		// A .git that is no repository (a broken or half-copied checkout): git
		// cannot list the package, so the tool walks it and must skip .git.
		write("greeter-macros/.git/canary", canaries["dotgit"])
	}

	env := []string{
		"GITHUB_TOKEN=" + canaries["github"],
		"AWS_SECRET_ACCESS_KEY=" + canaries["aws"],
		"MY_TOKEN=" + canaries["mytoken"],
	}
	dry := cnuEnv(t, ws, env, "build", "--dry-run")
	if dry.code != 0 {
		t.Fatalf("dry run: exit %d\n%s", dry.code, dry.stderr)
	}
	drvs := strings.Fields(dry.stdout)
	if len(drvs) == 0 {
		t.Fatalf("dry run printed no derivations:\n%s", dry.stderr)
	}
	rootDrv := drvs[len(drvs)-1]
	link := filepath.Join(t.TempDir(), "result")
	if r := cnuEnv(t, ws, env, "build", "-o", link); r.code != 0 {
		t.Fatalf("build: exit %d\n%s", r.code, r.stderr)
	}

	// The derivations as Nix shows them, then every file of every store path in the
	// closure of the root derivation (derivations, sources, builder) and of the result.
	show := run(t, ws, nil, "nix", "--extra-experimental-features", "nix-command ca-derivations", "derivation", "show", "-r", rootDrv)
	if show.code != 0 {
		t.Fatalf("nix derivation show: %s", show.stderr)
	}
	check := func(where string, data []byte) {
		for name, c := range canaries {
			if bytes.Contains(data, []byte(c)) {
				t.Errorf("%s holds the %s canary %q", where, name, c)
			}
		}
	}
	check("nix derivation show -r", []byte(show.stdout))
	var paths []string
	for _, root := range []string{rootDrv, link} {
		q := run(t, ws, nil, "nix-store", "-qR", root)
		if q.code != 0 {
			t.Fatalf("nix-store -qR %s: %s", root, q.stderr)
		}
		paths = append(paths, strings.Fields(q.stdout)...)
	}
	var sources int
	for _, p := range paths {
		if strings.HasSuffix(p, "-source") {
			sources++
		}
		check(p+" (its name)", []byte(p))
		err := filepath.WalkDir(p, func(f string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if strings.Contains(f, "/target/marker") && !strings.Contains(f, "/src/target/") {
				t.Errorf("%s: a target/ directory entered the store", f)
			}
			switch {
			case d.Type()&fs.ModeSymlink != 0:
				l, err := os.Readlink(f)
				if err != nil {
					return err
				}
				check(f, []byte(l))
			case d.Type().IsRegular():
				data, err := os.ReadFile(f)
				if err != nil {
					return err
				}
				check(f, data)
				for c := range controls {
					controls[c] = controls[c] || bytes.Contains(data, []byte(c))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for c, found := range controls {
		if !found {
			t.Errorf("the tracked control file %q is in no store path: the search is broken", c)
		}
	}
	if sources < 3 {
		t.Errorf("the closure of %s holds %d sources, want one per package at least:\n%s", rootDrv, sources, strings.Join(paths, "\n"))
	}
}
