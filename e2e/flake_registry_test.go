package e2e

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// registry is a sparse registry served on 127.0.0.1 until the test ends.
type registry struct {
	index     string       // its index URL, for "sparse+"
	dl        string       // config.json's download template
	downloads atomic.Int64 // .crate files served
}

// sparseRegistry serves config.json, the index and .crate files packed here
// from Debian's crate sources (as `cargo package` would: files under
// <name>-<version>/, without .cargo-checksum.json) with a file holding nonce,
// each index line with the .crate's real checksum. The nonce makes the
// crates, and so their store paths, this test's own.
func sparseRegistry(t *testing.T, nonce string, crates ...string) *registry {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	dl := base + "/crates/{crate}/{version}/download"
	files := map[string][]byte{
		"/index/config.json": []byte(fmt.Sprintf(`{"dl":%q}`, dl)),
	}
	for _, c := range crates {
		name, version := c[:strings.LastIndex(c, "-")], c[strings.LastIndex(c, "-")+1:]
		data := packCrate(t, filepath.Join("/usr/share/cargo/registry", c), c, nonce)
		sum := sha256.Sum256(data)
		line, _ := json.Marshal(map[string]any{"name": name, "vers": version, "deps": []any{}, "cksum": hex.EncodeToString(sum[:]), "features": map[string]any{}, "yanked": false})
		files["/index/"+indexPath(name)] = append(line, '\n')
		files["/crates/"+name+"/"+version+"/download"] = data
	}
	reg := &registry{index: base + "/index/", dl: dl}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if strings.HasSuffix(r.URL.Path, "/download") {
			reg.downloads.Add(1)
		}
		w.Write(b)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return reg
}

func indexPath(name string) string {
	switch len(name) {
	case 1, 2:
		return fmt.Sprintf("%d/%s", len(name), name)
	case 3:
		return "3/" + name[:1] + "/" + name
	}
	return name[:2] + "/" + name[2:4] + "/" + name
}

// packCrate makes a .crate of dir: a gzipped tar of its files under prefix/,
// and a file NONCE holding nonce.
func packCrate(t *testing.T, dir, prefix, nonce string) []byte {
	t.Helper()
	var files []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() != ".cargo-checksum.json" {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, rel)
		}
		return err
	})
	sort.Strings(files)
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		fi, _ := os.Stat(filepath.Join(dir, f))
		tw.WriteHeader(&tar.Header{Name: prefix + "/" + filepath.ToSlash(f), Mode: int64(fi.Mode().Perm()), Size: int64(len(data)), Typeflag: tar.TypeReg})
		tw.Write(data)
	}
	tw.WriteHeader(&tar.Header{Name: prefix + "/NONCE", Mode: 0o644, Size: int64(len(nonce)), Typeflag: tar.TypeReg})
	tw.Write([]byte(nonce))
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

// A workspace locked against a registry on 127.0.0.1 builds through the
// consumer flake's fixed-output derivations (the .crate fetched by its
// checksum, unpacked by the builder) and prints what cargo run prints. The
// CLI writes the same two fixed-output derivations, adding their outputs
// from Cargo's copies instead of fetching: every unit's derivation is the
// flake's, CA and input-addressed, each unpacked source is the store path of
// the CLI's copy, and after the flake's build the CLI builds nothing.
func TestFlakeRegistryCrates(t *testing.T) {
	requireTools(t)
	reg := sparseRegistry(t, fmt.Sprint(time.Now().UnixNano()), "itoa-1.0.1", "ryu-1.0.2")
	ws := filepath.Join(t.TempDir(), "regapp")
	home := filepath.Join(t.TempDir(), "cargo-home")
	for path, text := range map[string]string{
		"Cargo.toml":         "[package]\nname = \"regapp\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nitoa = \"1\"\nryu = \"1\"\n",
		"src/main.rs":        "fn main() {\n    let mut i = itoa::Buffer::new();\n    let mut r = ryu::Buffer::new();\n    println!(\"itoa {} ryu {}\", i.format(1234567u64), r.format(2.5f64));\n}\n",
		".cargo/config.toml": "[source.crates-io]\nreplace-with = \"local\"\n\n[source.local]\nregistry = \"sparse+" + reg.index + "\"\n",
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(ws, path)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(ws, path), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("CARGO_HOME", home)
	want := cargoRun(t, ws)
	// The package is the workspace's root: flake.nix and flake.lock are its
	// files too, so the plan follows them.
	// Without a plan file the flake fetches the crates of Cargo.lock's
	// registry sources it is given (all of them here), from the registry.
	registries := map[string]string{}
	for _, source := range lockSources(t, ws) {
		registries[source] = reg.dl
	}
	c := newConsumer(t, ws, registries) // the CLI registers: it adds the crates and their sources
	mustNixFlakes(t, ws, "flake", "lock")
	mustCNU(t, ws, "plan")
	var plan struct {
		Sources []struct {
			Name, Kind string
			Crate      *struct{ URL, Checksum string }
		}
	}
	b, err := os.ReadFile(filepath.Join(ws, "nix-unit.json"))
	if err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(b, &plan)
	var registrySources []string
	for _, s := range plan.Sources {
		if s.Kind == "registry" {
			registrySources = append(registrySources, s.Name)
			if s.Crate == nil || !strings.HasPrefix(s.Crate.URL, "http://127.0.0.1:") || s.Crate.Checksum == "" {
				t.Errorf("source %s: crate %+v, want the local registry's URL and Cargo.lock's checksum", s.Name, s.Crate)
			}
		}
	}
	if len(registrySources) < 2 { // itoa, ryu
		t.Fatalf("%d registry sources in the plan:\n%s", len(registrySources), b)
	}

	// The flake's fixed-output sources are the CLI's: same store paths.
	out := mustNixFlakes(t, ws, "eval", "--json", ".#legacyPackages."+nixSystemOf()+".ca.sources",
		"--apply", `builtins.mapAttrs (n: s: toString s)`)
	var fod map[string]string
	if err := json.Unmarshal([]byte(out), &fod); err != nil {
		t.Fatal(err)
	}
	cli := cliFetched(t, ws)
	for _, name := range registrySources {
		f := cli[name]
		if f == nil || fod[name] != f.source {
			t.Fatalf("%s: the flake's fixed-output source is %s, the CLI's %+v", name, fod[name], f)
		}
		if fi, err := os.Stat(f.source); err != nil || !fi.IsDir() {
			t.Errorf("%s: the CLI did not add its copy %s: %v", name, f.source, err)
		}
		if fi, err := os.Stat(f.crate); err != nil || !fi.Mode().IsRegular() {
			t.Errorf("%s: the CLI did not add Cargo's .crate as %s: %v", name, f.crate, err)
		}
	}
	if n := reg.downloads.Load(); n != 2 {
		t.Errorf("%d .crate downloads after cargo run and the CLI, want Cargo's 2", n)
	}

	// The crates are this test's own (the nonce): take them out of the store,
	// so that the flake's build fetches and unpacks them.
	for _, name := range registrySources {
		for _, p := range []string{cli[name].source, cli[name].crate} {
			if r := run(t, ws, nil, "nix-store", "--delete", p); r.code != 0 {
				t.Fatalf("deleting %s: %s", p, r.stderr)
			}
		}
	}

	for i, mode := range []struct{ attr, ca string }{{"ca", "on"}, {"ia", "off"}} {
		t.Run(mode.attr, func(t *testing.T) {
			c.sameDrvsAsCLI(t, ws, mode.attr, mode.ca)
			link := c.build(t, mode.attr)
			if out := mustRun(t, ws, nil, filepath.Join(link, "bin", "regapp")); out != want {
				t.Errorf("the flake's regapp printed %q, cargo run %q", out, want)
			}
			if n, want := reg.downloads.Load(), int64(2+len(registrySources)); i == 0 && n != want {
				t.Errorf("%d .crate downloads after the flake's build, want %d (Cargo's, then the flake's)", n, want)
			}
			r := mustCNU(t, ws, "build", "--no-link", "--content-addressed="+mode.ca)
			if !strings.Contains(r.stderr, " 0 built") {
				t.Errorf("after the flake's build the CLI built units:\n%s", r.stderr)
			}
		})
	}

	// Without a plan file, by import-from-derivation: the crates fetched from
	// the registry, the same plan as the CLI's.
	t.Run("ifd", func(t *testing.T) { c.checkIFD(t, "regapp", want) })

	// Unpacking again gives the fixed hash, even when an earlier run left the
	// outputs in the store (--rebuild checks a fixed output's hash).
	var rebuild []string
	for _, name := range registrySources {
		rebuild = append(rebuild, ".#legacyPackages."+nixSystemOf()+".ca.sources.\""+name+"\"")
	}
	mustNixFlakes(t, ws, append([]string{"build", "--rebuild", "--no-link"}, rebuild...)...)

	// push sends the unpacked sources with the derivations: units name them
	// through their fixed-output derivations, not as input sources.
	cache := filepath.Join(t.TempDir(), "cache")
	mustCNU(t, ws, "push", "file://"+cache+"?compression=none", "--no-link")
	for _, name := range registrySources {
		hash := filepath.Base(cli[name].source)[:32]
		if _, err := os.Stat(filepath.Join(cache, hash+".narinfo")); err != nil {
			t.Errorf("push left out the source %s: %v", cli[name].source, err)
		}
	}
}

// lockSources are the registry sources Cargo.lock names.
func lockSources(t *testing.T, ws string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(ws, "Cargo.lock"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "source = "); ok && !slices.Contains(out, strings.Trim(v, `"`)) {
			out = append(out, strings.Trim(v, `"`))
		}
	}
	return out
}

// fetched is a registry source as the CLI makes it: the unpacked tree and the
// .crate, the outputs of its two fixed-output derivations.
type fetched struct{ source, crate string }

// cliFetched maps a fetched source's name to the outputs of the fixed-output
// derivations the CLI's unit derivations name, read from the derivations
// `build --dry-run` registers.
func cliFetched(t *testing.T, ws string) map[string]*fetched {
	t.Helper()
	drvs := strings.Fields(mustCNU(t, ws, "build", "--dry-run").stdout)
	out := mustNixFlakes(t, ws, append([]string{"derivation", "show", "--recursive"}, drvs...)...)
	var show map[string]struct {
		InputDrvs map[string]any
		Outputs   map[string]struct{ Path, Hash string }
	}
	if err := json.Unmarshal([]byte(out), &show); err != nil {
		t.Fatal(err)
	}
	m := map[string]*fetched{}
	for _, d := range show {
		o := d.Outputs["out"]
		if o.Hash == "" || !strings.HasSuffix(o.Path, "-source") {
			continue
		}
		f := &fetched{source: o.Path}
		for in := range d.InputDrvs {
			f.crate = show[in].Outputs["out"].Path
		}
		m[filepath.Base(o.Path)[33:]] = f
	}
	return m
}
