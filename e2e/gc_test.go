package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The garbage collections here are targeted (`nix-store --delete` of the paths
// this test made new, dependents first): it is what `nix-store --gc` does to them,
// and it leaves the rest of the store, other users' caches included, alone.

// newPaths lists the derivations and sources in the closure of the workspace's derivations that were not there
// before: what a garbage collection may take from this build.
func newPaths(t *testing.T, ws, mode string, before map[string]bool) []string {
	t.Helper()
	dry := mustCNU(t, ws, "build", "--dry-run", "--content-addressed="+mode)
	drvs := strings.Fields(dry.stdout)
	q := run(t, ws, nil, "nix-store", "-qR", drvs[len(drvs)-1])
	if q.code != 0 {
		t.Fatalf("nix-store -qR: %s", q.stderr)
	}
	var out []string
	for _, p := range strings.Fields(q.stdout) {
		if !before[p] {
			out = append(out, p)
		}
	}
	slices.Reverse(out) // dependents first, so each can go
	return out
}

// closure is the set of paths in the closure of the workspace's derivations.
func closure(t *testing.T, ws, mode string) map[string]bool {
	t.Helper()
	dry := mustCNU(t, ws, "build", "--dry-run", "--content-addressed="+mode)
	drvs := strings.Fields(dry.stdout)
	q := run(t, ws, nil, "nix-store", "-qR", "--include-outputs", drvs[len(drvs)-1])
	set := map[string]bool{}
	for _, p := range strings.Fields(q.stdout) {
		set[p] = true
	}
	return set
}

// collect deletes each path Nix lets go (one at a time: a live path fails the
// whole call) and returns how many went: were in the store before and are not
// after (`nix-store --delete` of a path not in the store succeeds).
func collect(paths []string) int {
	n := 0
	for _, p := range paths {
		_, err := os.Lstat(p)
		existed := err == nil
		exec.Command("nix-store", "--delete", p).Run()
		if _, err := os.Lstat(p); existed && err != nil {
			n++
		}
	}
	return n
}

func nonceEdit(t *testing.T, ws string) {
	t.Helper()
	lib := filepath.Join(ws, "greeter/src/lib.rs")
	b, err := os.ReadFile(lib)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), `"Good day, {name}!`, fmt.Sprintf(`"Good day, {name}! %d`, time.Now().UnixNano()), 1)
	if err := os.WriteFile(lib, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Derivations registered by `--dry-run` and collected before the build are
// registered again by the build.
func TestGCAfterDryRun(t *testing.T) {
	requireTools(t)
	ws := copyWorkspace(t, "workspace")
	before := closure(t, ws, "auto")
	nonceEdit(t, ws)
	paths := newPaths(t, ws, "auto", before)
	if n := collect(paths); n == 0 {
		t.Fatalf("the collection took none of %q", paths)
	}
	link := filepath.Join(t.TempDir(), "result")
	mustCNU(t, ws, "build", "-o", link)
	if got, want := run(t, ws, nil, filepath.Join(link, "bin", "app")).stdout, cargoRun(t, ws); got != want {
		t.Errorf("app prints\n%s\nwant\n%s", got, want)
	}
}

// A collection between registration and `nix build` (made certain by a nix
// wrapper that collects the new derivations before passing `build` on): with
// `nix derivation add` the tool notices and registers them again; the daemon
// client holds temp roots on them, so the collection takes none.
func TestGCBetweenRegistrationAndBuild(t *testing.T) {
	requireTools(t)
	for _, client := range []string{"cli", "daemon"} {
		t.Run(client, func(t *testing.T) {
			ws := copyWorkspace(t, "workspace")
			before := closure(t, ws, "auto")
			nonceEdit(t, ws)
			paths := newPaths(t, ws, "auto", before)
			collect(paths)

			dir := t.TempDir()
			list := filepath.Join(dir, "paths")
			if err := os.WriteFile(list, []byte(strings.Join(paths, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			// The first 'nix build' finds its derivations collected, if they may go.
			wrapNix(t, dir, fmt.Sprintf(`for a in "$@"; do
  if [ "$a" = build ] && [ ! -e %[1]s/done ]; then
    touch %[1]s/done
    while read -r p; do "$STORE" --delete "$p" >/dev/null 2>&1; done < %[2]s
    break
  fi
done`, dir, list))
			r := mustCNU(t, ws, "build", "--no-link", "--store-client="+client, "--nix", filepath.Join(dir, "nix"))
			if _, err := os.Stat(filepath.Join(dir, "done")); err != nil {
				t.Fatalf("the wrapper never saw `nix build`: %v", err)
			}
			noticed := strings.Contains(r.stderr, "registering them again")
			if want := client == "cli"; noticed != want {
				t.Errorf("collection noticed = %v, want %v; stderr:\n%s", noticed, want, r.stderr)
			}
		})
	}
}

// Collections while `nix build` runs take nothing it needs: Nix holds temp roots
// for the derivations it builds, their inputs and the outputs they produce.
//
// The collections are real: each round also adds a decoy path nothing needs
// and collects it, and it must go. No timing is assumed: greeter's build
// script waits (in the sandbox, through a declared host path) until a round
// has run, so at least one collection happens while `nix build` runs.
//
// Mutation check: with collect deleting nothing (nix-store --delete given a
// wrong path), "the collection took no decoy" fails the test.
func TestGCDuringBuild(t *testing.T) {
	requireTools(t)
	ws := copyWorkspace(t, "workspace")
	before := closure(t, ws, "off")
	gate := t.TempDir()
	edit(t, filepath.Join(ws, "greeter/Cargo.toml"), `links = "greeter"`, fmt.Sprintf("links = %q\n\n[package.metadata.nix-unit]\nsandbox-paths = [%q]", "greeter", gate))
	// New: greeter's build script, its run, its lib and app's bin, built in a chain.
	edit(t, filepath.Join(ws, "greeter/build.rs"), "fn main() {", fmt.Sprintf(`fn main() {
    // %d
    // Wait for the test's first collection (an hour at most).
    for _ in 0..36000 {
        if Path::new(%q).exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }`, time.Now().UnixNano(), filepath.Join(gate, "open")))
	// Input-addressed, so the outputs' paths are known before they exist.
	paths := newPaths(t, ws, "off", before)
	var outputs []string
	for _, p := range paths {
		if strings.HasSuffix(p, ".drv") {
			q := run(t, ws, nil, "nix-store", "-q", "--outputs", p)
			outputs = append(outputs, strings.Fields(q.stdout)...)
		}
	}
	paths = append(outputs, paths...)

	var wg sync.WaitGroup
	stop := make(chan struct{})
	started, rounds, deleted, decoys := false, 0, 0, 0
	var decoyErr error
	var added []string
	t.Cleanup(func() { collect(added) }) // a decoy left by a failure
	r := watch(t, ws, nil, func(_ *exec.Cmd, line string) {
		if !started && strings.Contains(line, "Compiling") {
			// nix build is running: collect until it ends, outputs included.
			started = true
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					deleted += collect(paths)
					decoy, err := addDecoy(gate, rounds)
					if err != nil {
						decoyErr = err
						return
					}
					added = append(added, decoy)
					decoys += collect([]string{decoy})
					rounds++
					if rounds == 1 {
						os.WriteFile(filepath.Join(gate, "open"), nil, 0o644)
					}
				}
			}()
		}
	}, "build", "--content-addressed=off", "-o", filepath.Join(t.TempDir(), "result"))
	close(stop)
	wg.Wait()
	if !started {
		t.Fatalf("no Compiling line: exit %d\n%s", r.code, r.stderr)
	}
	t.Logf("%d collections of %d paths took %d while nix build ran, and %d decoys", rounds, len(paths), deleted, decoys)
	if decoyErr != nil {
		t.Fatalf("adding a decoy: %v", decoyErr)
	}
	if decoys == 0 {
		t.Errorf("the collection took no decoy in %d rounds: it collects nothing, and proves nothing", rounds)
	}
	if r.code != 0 {
		t.Fatalf("build failed while collections ran: exit %d\n%s", r.code, r.stderr)
	}
}

// addDecoy adds a new file to the store that nothing refers to, and returns
// its path: a collection must take it.
func addDecoy(dir string, round int) (string, error) {
	f := filepath.Join(dir, fmt.Sprintf("decoy-%d", round))
	if err := os.WriteFile(f, []byte(fmt.Sprintf("decoy %d %d\n", time.Now().UnixNano(), round)), 0o644); err != nil {
		return "", err
	}
	out, err := exec.Command("nix-store", "--add", f).Output()
	if err != nil {
		return "", fmt.Errorf("nix-store --add %s: %w", f, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// A collection between two registrations (the wrapper collects the derivation
// added first just before the second is added, which needs it) makes the tool
// register again.
func TestGCDuringRegistration(t *testing.T) {
	requireTools(t)
	ws := copyWorkspace(t, "workspace")
	before := closure(t, ws, "on")
	nonceEdit(t, ws)
	collect(newPaths(t, ws, "on", before))
	dir := t.TempDir()
	wrapNix(t, dir, fmt.Sprintf(`case " $* " in
*" derivation add "*)
  n=$(cat %[1]s/count 2>/dev/null || echo 0); n=$((n+1)); echo $n > %[1]s/count
  [ $n = 2 ] && "$STORE" --delete "$(cat %[1]s/last)" >/dev/null 2>&1 && touch %[1]s/collected
  out=$("$NIX" "$@") || exit $?
  echo "$out" > %[1]s/last
  echo "$out"
  exit 0;;
esac
`, dir))
	// `nix derivation add` per derivation: the daemon client roots what it adds.
	r := mustCNU(t, ws, "build", "--no-link", "--content-addressed=on", "--store-client=cli", "--nix", filepath.Join(dir, "nix"))
	if _, err := os.Stat(filepath.Join(dir, "collected")); err != nil {
		t.Fatalf("the wrapper collected nothing: %v\n%s", err, r.stderr)
	}
	if !strings.Contains(r.stderr, "garbage-collected during registration") {
		t.Errorf("no collection noticed; stderr:\n%s", r.stderr)
	}
}

// wrapNix writes dir/nix, a shell script running script (with $NIX and $STORE
// naming the real programs) before passing its arguments on to the real nix,
// and dir/nix-store, which the tool finds next to it.
func wrapNix(t *testing.T, dir, script string) {
	t.Helper()
	realNix, err := exec.LookPath("nix")
	if err != nil {
		t.Fatal(err)
	}
	realStore, err := exec.LookPath("nix-store")
	if err != nil {
		t.Fatal(err)
	}
	sh := fmt.Sprintf("#!/bin/sh\nNIX=%s\nSTORE=%s\n%s\nexec \"$NIX\" \"$@\"\n", realNix, realStore, script)
	if err := os.WriteFile(filepath.Join(dir, "nix"), []byte(sh), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(realStore, filepath.Join(dir, "nix-store")); err != nil {
		t.Fatal(err)
	}
}
