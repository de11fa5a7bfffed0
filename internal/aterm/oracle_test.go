package aterm

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"
	"github.com/nix-community/go-nix/pkg/nar"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/drvjson"
)

var update = flag.Bool("update", false, "rewrite testdata/*.drv from what real Nix registers")

// hostile holds every character ATerm escapes, and some it doesn't.
const hostile = "a \"quoted\" back\\slash\\n\nnew line\ttab\rcr ünïcödé 🦀 $out ${x} \x01\x7f 'single' (paren),[comma]"

// hostileEnv has keys that sort differently as bytes and as runes or case-folded.
func hostileEnv(name string) map[string]string {
	return map[string]string{
		"name": name, "z": "last ASCII", "é": "after z as bytes", "Z": "upper", "a b": "space in key",
		"\tk\"\\\n": hostile, "empty": "", "system": "x86_64-linux",
	}
}

// oracle collects the derivations the oracle test registers, in dependency
// order, computing their output paths the way callers do (OutputPaths with a
// map of HashModulo values).
type oracle struct {
	t      *testing.T
	hm     map[string]string // .drv path → HashModulo, for dependents
	drvs   []*nixdrv.Derivation
	byName map[string]string // env name → .drv path
}

func (o *oracle) register(d *nixdrv.Derivation) string {
	o.t.Helper()
	if d.InputDerivations == nil {
		d.InputDerivations = map[string][]string{}
	}
	typ, err := typeOf(d)
	if err != nil {
		o.t.Fatal(err)
	}
	// Floating and deferred outputs have no path before building, and nothing
	// depending on them needs their hash modulo.
	known := typ != floating && d.Env["deferred"] == ""
	if known {
		outs, err := OutputPaths(d, o.hm)
		if err != nil {
			o.t.Fatal(err)
		}
		for name, p := range outs {
			d.Outputs[name].Path, d.Env[name] = p, p
		}
	}
	path, err := DrvPath(d)
	if err != nil {
		o.t.Fatal(err)
	}
	if known {
		if o.hm[path], err = HashModulo(d, o.hm); err != nil {
			o.t.Fatal(err)
		}
	}
	o.drvs = append(o.drvs, d)
	o.byName[d.Env["name"]] = path
	return path
}

func derive(name string, outputs map[string]*nixdrv.Output, deps map[string][]string, srcs ...string) *nixdrv.Derivation {
	if deps == nil {
		deps = map[string][]string{}
	}
	return &nixdrv.Derivation{
		Outputs: outputs, InputSources: srcs, InputDerivations: deps,
		Platform: "x86_64-linux", Builder: "/bin/sh", Arguments: []string{"-c", "exit 1"},
		Env: map[string]string{"name": name, "system": "x86_64-linux"},
	}
}

func outs(names ...string) map[string]*nixdrv.Output {
	m := map[string]*nixdrv.Output{}
	for _, n := range names {
		m[n] = &nixdrv.Output{}
	}
	return m
}

func floatingOuts(names ...string) map[string]*nixdrv.Output {
	m := map[string]*nixdrv.Output{}
	for _, n := range names {
		m[n] = &nixdrv.Output{HashAlgorithm: "r:sha256"}
	}
	return m
}

func fixedOut(algo string, digest []byte) map[string]*nixdrv.Output {
	return map[string]*nixdrv.Output{"out": {HashAlgorithm: algo, Hash: hex.EncodeToString(digest)}}
}

// buildOracle makes derivations of every kind; src and flat are store paths
// already added.
func buildOracle(t *testing.T, src, flat string) *oracle {
	o := &oracle{t: t, hm: map[string]string{}, byName: map[string]string{}}

	// Floating content-addressed, two outputs, hostile strings everywhere.
	ca := derive("aterm-ca", floatingOuts("out", "dev"), nil, flat, src, src)
	ca.Arguments = []string{"-c", hostile, "", "  spaces  "}
	ca.Env = hostileEnv("aterm-ca")
	ca.Env["out"], ca.Env["dev"] = Placeholder("out"), Placeholder("dev")
	caPath := o.register(ca)

	// Content-addressed dependent through upstream placeholders; "out" listed twice.
	caDep := derive("aterm-ca-dep", floatingOuts("out"), map[string][]string{caPath: {"out", "dev", "out"}})
	caDep.Env["out"] = Placeholder("out")
	caDep.Env["lib"] = UpstreamPlaceholder(caPath, "out") + "/lib:" + UpstreamPlaceholder(caPath, "dev")
	caDepPath := o.register(caDep)

	// Input-addressed with deferred outputs: it depends on a floating output.
	def := derive("aterm-deferred", outs("out"), map[string][]string{caDepPath: {"out"}})
	def.Env["out"], def.Env["deferred"] = Placeholder("out"), "1"
	o.register(def)

	// Input-addressed, three outputs, hostile strings; an odd system is written raw.
	lib := derive("aterm-lib", outs("out", "dev", "lib"), nil, src)
	lib.Arguments = []string{hostile}
	lib.Env = hostileEnv("aterm-lib")
	libPath := o.register(lib)
	odd := derive("aterm-odd-system", outs("out"), nil)
	odd.Platform = "x86_64\tlinux\nünï"
	o.register(odd)

	// Fixed outputs: every path shape (source; output:out over flat, r:sha1, sha512).
	content := sha256.Sum256([]byte("fixture\n"))
	narHash := sha256.Sum256([]byte("some NAR"))
	sha1 := sha256.Sum256([]byte("sha1"))
	sha512 := sha512.Sum512([]byte("sha512"))
	fodFlat := o.register(derive("aterm-fod-flat", fixedOut("sha256", content[:]), nil))
	// The same fixed output from another recipe, with an input: the same hash modulo.
	alt := derive("aterm-fod-flat", fixedOut("sha256", content[:]), map[string][]string{libPath: {"out"}})
	alt.Arguments = []string{"-c", "another recipe"}
	fodFlatAlt := o.register(alt)
	if o.hm[fodFlat] != o.hm[fodFlatAlt] {
		t.Fatalf("two recipes for one fixed output have hashes modulo %s and %s", o.hm[fodFlat], o.hm[fodFlatAlt])
	}
	fodNar := o.register(derive("aterm-fod-nar", fixedOut("r:sha256", narHash[:]), nil))
	fodSha1 := o.register(derive("aterm-fod-sha1", fixedOut("r:sha1", sha1[:20]), nil))
	fodSha512 := o.register(derive("aterm-fod-sha512", fixedOut("sha512", sha512[:]), nil))

	// Input-addressed on input-addressed and fixed outputs; two inputs share a hash modulo.
	app := derive("aterm-app", outs("out", "bin"), map[string][]string{
		libPath: {"lib", "dev"}, fodFlat: {"out"}, fodFlatAlt: {"out"}, fodNar: {"out"}, fodSha1: {"out"}, fodSha512: {"out"},
	}, src, flat)
	app.Env["deps"] = strings.Join([]string{lib.Outputs["lib"].Path, lib.Outputs["dev"].Path}, ":")
	appPath := o.register(app)
	top := derive("aterm-top", outs("out"), map[string][]string{appPath: {"bin"}})
	top.Env["bin"] = app.Outputs["bin"].Path
	o.register(top)
	return o
}

// TestNixOracle registers derivations of every kind with real Nix: its path must
// be DrvPath's and its .drv file Write's; for input-addressed ones Nix rejects
// wrong output paths, so acceptance proves OutputPaths and HashModulo.
func TestNixOracle(t *testing.T) {
	n := newNix(t)
	src, flat := addSources(t, n)
	o := buildOracle(t, src, flat)
	var paths []string
	for _, d := range o.drvs {
		paths = append(paths, n.add(d))
	}

	// Nix rejects an output path hashed with the input's masked hash: dependents
	// use hashDerivationModulo(maskOutputs=false) of their inputs.
	libPath := o.byName["aterm-lib"]
	masked, err := hashModulo(o.drvs[slices.IndexFunc(o.drvs, func(d *nixdrv.Derivation) bool {
		return d.Env["name"] == "aterm-lib"
	})], nil, true)
	if err != nil {
		t.Fatal(err)
	}
	wrong := derive("aterm-wrong", outs("out"), map[string][]string{libPath: {"out"}})
	p, err := OutputPaths(wrong, map[string]string{libPath: hex.EncodeToString(masked)})
	if err != nil {
		t.Fatal(err)
	}
	wrong.Outputs["out"].Path, wrong.Env["out"] = p["out"], p["out"]
	js, err := drvjson.Encode(wrong, n.v)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.run(js, "derivation", "add"); err == nil || !strings.Contains(err.Error(), "incorrect output") {
		t.Errorf("nix accepted an output path hashed with a masked input hash: %v", err)
	}

	if *update {
		writeFixtures(t, n, paths)
	}
}

// addSources adds a tree by NAR hash and a file by flat hash, checking
// StorePathForSource and StorePathForFlat against the paths Nix gives them.
func addSources(t *testing.T, n *nixCLI) (src, flat string) {
	dir := filepath.Join(t.TempDir(), "tree with \"quote\"")
	for name, body := range map[string]string{"a.txt": "hello\n", "sub/b.rs": "fn main() {}\n", "run.sh": "#!/bin/sh\n"} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		mode := os.FileMode(0o644)
		if strings.HasSuffix(name, ".sh") {
			mode = 0o755
		}
		if err := os.WriteFile(p, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("a.txt", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	if err := nar.DumpPath(h, dir); err != nil {
		t.Fatal(err)
	}
	var narHash [32]byte
	copy(narHash[:], h.Sum(nil))
	src = n.must(nil, "store", "add-path", "--name", "aterm-oracle-src", dir)
	if want := StorePathForSource(narHash, "aterm-oracle-src"); src != want {
		t.Errorf("nix store add-path made %s, StorePathForSource computed %s", src, want)
	}

	file := filepath.Join(t.TempDir(), "flat")
	if err := os.WriteFile(file, []byte("flat file\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	flat = n.must(nil, "store", "add-file", "--name", "aterm-oracle-flat", file)
	if want := StorePathForFlat(sha256.Sum256([]byte("flat file\n")), "aterm-oracle-flat"); flat != want {
		t.Errorf("nix store add-file made %s, StorePathForFlat computed %s", flat, want)
	}
	return src, flat
}

// writeFixtures copies the .drv files Nix registered, and those its evaluator
// instantiates from testdata/eval.nix, into testdata (go test -update).
func writeFixtures(t *testing.T, n *nixCLI, paths []string) {
	old, _ := filepath.Glob("testdata/*.drv")
	for _, p := range old {
		os.Remove(p)
	}
	evalPaths := strings.Fields(n.must(nil, "eval", "--raw", "-f", "testdata/eval.nix"))
	for _, p := range append(paths, evalPaths...) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata", filepath.Base(p)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
