package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Units leave the machine through a binary cache: CI pushes, a developer
// substitutes. These tests run the commands docs/sharing.md shows.

// cacheKeys writes a signing key pair the way docs/sharing.md does and returns
// the secret key's file and the public key.
func cacheKeys(t *testing.T) (secret, public string) {
	t.Helper()
	dir := t.TempDir()
	secret = filepath.Join(dir, "cache.sec")
	sec := run(t, dir, nil, "nix", "--extra-experimental-features", "nix-command", "key", "generate-secret", "--key-name", "e2e-cache-1")
	if sec.code != 0 {
		t.Fatalf("nix key generate-secret: %s", sec.stderr)
	}
	if err := os.WriteFile(secret, []byte(sec.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("nix", "--extra-experimental-features", "nix-command", "key", "convert-secret-to-public")
	cmd.Stdin = strings.NewReader(sec.stdout)
	pub, err := cmd.Output()
	if err != nil {
		t.Fatalf("nix key convert-secret-to-public: %v", err)
	}
	return secret, strings.TrimSpace(string(pub))
}

// developer is another machine as far as a build can tell: a fresh chroot
// store that holds nothing, another HOME (no caches of the tool or of Nix), and
// a copy of the workspace in another directory. Rust's toolchain stays where
// it is (RUSTUP_HOME, CARGO_HOME).
type developer struct {
	ws, root         string
	env              []string
	substituter, key string // of the last build
}

func newDeveloper(t *testing.T, workspace string) *developer {
	t.Helper()
	home := t.TempDir()
	d := &developer{root: filepath.Join(t.TempDir(), "store"), env: []string{"HOME=" + home}}
	for k, dir := range map[string]string{"RUSTUP_HOME": ".rustup", "CARGO_HOME": ".cargo"} {
		v := os.Getenv(k)
		if v == "" {
			v = filepath.Join(os.Getenv("HOME"), dir)
		}
		d.env = append(d.env, k+"="+v)
	}
	if workspace == "corpus" {
		d.ws = copyCorpus(t)
	} else {
		d.ws = copyWorkspace(t, workspace)
	}
	return d
}

// build runs cargo-nix-unit build in the developer's store with the cache as
// the only substituter.
func (d *developer) build(t *testing.T, substituter, trustedKey string, args ...string) result {
	t.Helper()
	d.substituter, d.key = substituter, trustedKey
	flags := []string{"build", "--store", "local?root=" + d.root, "--option", "substituters", substituter,
		"--option", "trusted-public-keys", trustedKey}
	return cnuEnv(t, d.ws, d.env, append(flags, args...)...)
}

// copyCorpus copies testdata/corpus into a fresh directory.
func copyCorpus(t *testing.T) string {
	t.Helper()
	ws := filepath.Join(t.TempDir(), "corpus")
	if out, err := exec.Command("cp", "-r", filepath.Join(repoRoot(), "testdata", "corpus"), ws).CombinedOutput(); err != nil {
		t.Fatalf("copying the corpus: %v\n%s", err, out)
	}
	return ws
}

// cacheReport is the part of `build --json` the sharing tests read.
type cacheReport struct {
	Result string `json:"result"`
	Built  int    `json:"built"`
	Units  []struct {
		Unit, Drv, Out, Status string
	} `json:"units"`
}

func parseReport(t *testing.T, r result) cacheReport {
	t.Helper()
	var rep cacheReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("reading --json: %v\n%s", err, r.stdout)
	}
	return rep
}

// substitutesAll checks a developer's build compiled nothing and its binary
// prints what `cargo run` does. Nix fetches only what the result needs; then
// every unit's output is fetched too, with -j 0, so that Nix cannot build one
// here: the cache supplies all of them.
func substitutesAll(t *testing.T, d *developer, r result, bin, want string) {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("developer's build: exit %d\n%s", r.code, r.stderr)
	}
	rep := parseReport(t, r)
	if rep.Built != 0 || strings.Contains(r.stderr, "Compiling") {
		t.Errorf("%d units compiled, want 0:\n%s", rep.Built, r.stderr)
	}
	args := []string{"--extra-experimental-features", "nix-command ca-derivations", "build", "--no-link", "-j", "0",
		"--store", "local?root=" + d.root, "--option", "substituters", d.substituter, "--option", "trusted-public-keys", d.key}
	for _, u := range rep.Units {
		if u.Status == "built" {
			t.Errorf("%s was built", u.Unit)
		}
		args = append(args, u.Drv+"^out")
	}
	got := run(t, d.ws, nil, inRoot(t, d.root, filepath.Join(rep.Result, "bin", bin)))
	if got.code != 0 || got.stdout != want {
		t.Errorf("the substituted %s (exit %d) prints\n%s\ncargo run prints\n%s", bin, got.code, got.stdout, want)
	}
	if all := run(t, d.ws, d.env, "nix", args...); all.code != 0 {
		t.Errorf("not every unit's output can be substituted (-j 0): exit %d\n%s", all.code, all.stderr)
	}
}

// cacheConsistent checks a file:// cache as Nix reads it: every .narinfo's NAR
// is there, and every realisation names an output the cache holds.
func cacheConsistent(t *testing.T, dir string) {
	t.Helper()
	infos, _ := filepath.Glob(filepath.Join(dir, "*.narinfo"))
	for _, info := range infos {
		f, err := os.Open(info)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if nar, ok := strings.CutPrefix(sc.Text(), "URL: "); ok {
				if _, err := os.Stat(filepath.Join(dir, nar)); err != nil {
					t.Errorf("%s names a missing NAR: %v", filepath.Base(info), err)
				}
			}
		}
		f.Close()
	}
	reals, _ := filepath.Glob(filepath.Join(dir, "realisations", "*.doi"))
	for _, r := range reals {
		var doi struct {
			OutPath string `json:"outPath"`
		}
		b, err := os.ReadFile(r)
		if err == nil {
			err = json.Unmarshal(b, &doi)
		}
		if err != nil {
			t.Fatalf("%s: %v", r, err)
		}
		hash, _, _ := strings.Cut(doi.OutPath, "-")
		if _, err := os.Stat(filepath.Join(dir, hash+".narinfo")); err != nil {
			t.Errorf("realisation %s names %s, which the cache lacks", filepath.Base(r), doi.OutPath)
		}
	}
}

// notes returns the tool's "Note" lines.
func notes(stderr string) []string {
	var out []string
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "Note ") {
			out = append(out, strings.TrimSpace(l))
		}
	}
	return out
}

// closedPort is a loopback port nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

// CI builds and pushes examples/workspace to a signed file:// cache; a
// developer with a fresh store, another HOME and another checkout builds it
// with that cache as the only substituter and compiles nothing. CA and
// input-addressed. Along the way: a push that fails midway leaves the cache
// consistent and the next push completes it; a push of the same build again
// sends nothing; caches without realisations, with an untrusted signature or
// unreachable cost a local build and one notice, never the build.
func TestSubstituteFromCache(t *testing.T) {
	requireTools(t)
	secret, public := cacheKeys(t)
	ci := copyWorkspace(t, "workspace")
	want := cargoRun(t, ci)
	for _, mode := range []string{"on", "off"} {
		t.Run("content-addressed="+mode, func(t *testing.T) {
			ca := "--content-addressed=" + mode
			dir := filepath.Join(t.TempDir(), "cache")
			url := "file://" + dir + "?compression=zstd"
			if mode == "on" {
				// The first push is killed while nix copy sends the outputs.
				wrap := t.TempDir()
				wrapNix(t, wrap, killCopyOfOutputs)
				r := cnu(t, ci, "push", url, "--sign-key", secret, ca, "--no-link", "--nix", filepath.Join(wrap, "nix"))
				oneErrorAt(t, r, "error: pushing outputs to "+url+": nix copy failed")
				cacheConsistent(t, dir)
			}
			r := mustCNU(t, ci, "push", url, "--sign-key", secret, ca, "--no-link")
			if !strings.Contains(r.stderr, "Pushed") || strings.Contains(r.stderr, "nothing new") {
				t.Errorf("the push sent nothing:\n%s", r.stderr)
			}
			if mode == "on" && !strings.Contains(r.stderr, "Realisations 34, 34 new") {
				t.Errorf("the push did not send the 34 realisations:\n%s", r.stderr)
			}
			cacheConsistent(t, dir)
			r = mustCNU(t, ci, "push", url, "--sign-key", secret, ca, "--no-link")
			if !strings.Contains(r.stderr, "Pushed nothing new to "+url) {
				t.Errorf("a second push of the same build sent something:\n%s", r.stderr)
			}

			dev := newDeveloper(t, "workspace")
			substitutesAll(t, dev, dev.build(t, url, public, ca, "--json", "--no-link"), "app", want)

			// One unit (greeter-macros, the same derivation as in the whole
			// workspace) in fresh stores, from caches that cannot supply it.
			if mode == "on" {
				bare := filepath.Join(t.TempDir(), "no-realisations")
				if out, err := exec.Command("cp", "-r", dir, bare).CombinedOutput(); err != nil {
					t.Fatalf("copying the cache: %v\n%s", err, out)
				}
				os.RemoveAll(filepath.Join(bare, "realisations"))
				r := newDeveloper(t, "workspace").build(t, "file://"+bare, public, ca, "-p", "greeter-macros", "--no-link")
				builtWithOneNote(t, r, "holds the outputs of units built here (greeter-macros-0.1.0-proc-macro) but not their realisations")
			} else {
				_, other := cacheKeys(t)
				r := newDeveloper(t, "workspace").build(t, url, other, ca, "-p", "greeter-macros", "--no-link")
				builtWithOneNote(t, r, "offered 1 path not signed by a key in trusted-public-keys")
			}
			unreachable := fmt.Sprintf("http://127.0.0.1:%d", closedPort(t))
			r = newDeveloper(t, "workspace").build(t, unreachable, public, ca, "-p", "greeter-macros", "--no-link")
			builtWithOneNote(t, r, "substituter "+unreachable+" is unreachable")
		})
	}
}

// killCopyOfOutputs, run by a nix wrapper, kills `nix copy` of drv^out
// installables (push's outputs phase) once it has begun copying paths.
const killCopyOfOutputs = `
if [ "$3" = copy ]; then
  in=$(cat)
  case "$in" in
  *'^out'*)
    tmp=$(mktemp -d)
    printf '%s\n' "$in" > "$tmp/in"
    "$NIX" "$@" < "$tmp/in" 2> "$tmp/err" &
    pid=$!
    while ! grep -q 'copying path' "$tmp/err" && kill -0 $pid 2>/dev/null; do sleep 0.01; done
    kill -9 $pid
    rm -rf "$tmp"
    echo "error: nix copy killed midway by the test" >&2
    exit 1;;
  esac
  printf '%s\n' "$in" | exec "$NIX" "$@"
fi`

// oneErrorAt fails unless the command failed with one line of error starting with prefix.
func oneErrorAt(t *testing.T, r result, prefix string) {
	t.Helper()
	var errs []string
	for _, l := range strings.Split(r.stderr, "\n") {
		if strings.HasPrefix(l, "error") {
			errs = append(errs, l)
		}
	}
	if r.code == 0 || len(errs) != 1 || !strings.HasPrefix(errs[0], prefix) {
		t.Errorf("want a failure with one line `%s…`; exit %d, stderr:\n%s", prefix, r.code, r.stderr)
	}
}

// builtWithOneNote checks a build that its cache could not help: it succeeded,
// built its unit here and said why in one notice.
func builtWithOneNote(t *testing.T, r result, note string) {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("build: exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "1 unit: 1 built") {
		t.Errorf("the unit was not built here:\n%s", r.stderr)
	}
	if n := notes(r.stderr); len(n) != 1 || !strings.Contains(n[0], note) {
		t.Errorf("want one notice holding %q, got %q in\n%s", note, n, r.stderr)
	}
}

// The crate corpus (28 crates, native inputs included) goes through the cache
// the same way: pushed, then substituted whole into a fresh store.
func TestCorpusSubstitutedFromCache(t *testing.T) {
	requireTools(t)
	secret, public := cacheKeys(t)
	ci := copyCorpus(t)
	want := cargoRun(t, ci)
	for _, mode := range []string{"on", "off"} {
		t.Run("content-addressed="+mode, func(t *testing.T) {
			ca := "--content-addressed=" + mode
			url := "file://" + filepath.Join(t.TempDir(), "cache") + "?compression=zstd"
			mustCNU(t, ci, "push", url, "--sign-key", secret, ca, "--no-link")
			dev := newDeveloper(t, "corpus")
			substitutesAll(t, dev, dev.build(t, url, public, ca, "--json", "--no-link"), "corpus", want)
		})
	}
}
