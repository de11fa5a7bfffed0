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
	"sort"
	"strings"
	"testing"
)

// sparseRegistry serves a sparse registry on 127.0.0.1 until the test ends:
// config.json, the index and .crate files packed here from Debian's crate
// sources (as `cargo package` would: files under <name>-<version>/, without
// .cargo-checksum.json), each index line with the .crate's real checksum.
func sparseRegistry(t *testing.T, crates ...string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	files := map[string][]byte{
		"/index/config.json": []byte(fmt.Sprintf(`{"dl":"%s/crates/{crate}/{version}/download"}`, base)),
	}
	for _, c := range crates {
		name, version := c[:strings.LastIndex(c, "-")], c[strings.LastIndex(c, "-")+1:]
		data := packCrate(t, filepath.Join("/usr/share/cargo/registry", c), c)
		sum := sha256.Sum256(data)
		line, _ := json.Marshal(map[string]any{"name": name, "vers": version, "deps": []any{}, "cksum": hex.EncodeToString(sum[:]), "features": map[string]any{}, "yanked": false})
		files["/index/"+indexPath(name)] = append(line, '\n')
		files["/crates/"+name+"/"+version+"/download"] = data
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return base + "/index/"
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

// packCrate makes a .crate of dir: a gzipped tar of its files under prefix/.
func packCrate(t *testing.T, dir, prefix string) []byte {
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
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

// A workspace locked against a registry on 127.0.0.1 builds through the
// consumer flake's fixed-output derivations (the .crate fetched by its
// checksum, unpacked by the builder) and prints what cargo run prints; each
// unpacked source is the store path of the CLI's copy of the same crate.
func TestFlakeRegistryCrates(t *testing.T) {
	requireTools(t)
	index := sparseRegistry(t, "itoa-1.0.1", "ryu-1.0.2")
	ws := filepath.Join(t.TempDir(), "regapp")
	home := filepath.Join(t.TempDir(), "cargo-home")
	for path, text := range map[string]string{
		"Cargo.toml":         "[package]\nname = \"regapp\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nitoa = \"1\"\nryu = \"1\"\n",
		"src/main.rs":        "fn main() {\n    let mut i = itoa::Buffer::new();\n    let mut r = ryu::Buffer::new();\n    println!(\"itoa {} ryu {}\", i.format(1234567u64), r.format(2.5f64));\n}\n",
		".cargo/config.toml": "[source.crates-io]\nreplace-with = \"local\"\n\n[source.local]\nregistry = \"sparse+" + index + "\"\n",
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
	registry := 0
	for _, s := range plan.Sources {
		if s.Kind == "registry" {
			registry++
			if s.Crate == nil || !strings.HasPrefix(s.Crate.URL, "http://127.0.0.1:") || s.Crate.Checksum == "" {
				t.Errorf("source %s: crate %+v, want the local registry's URL and Cargo.lock's checksum", s.Name, s.Crate)
			}
		}
	}
	if registry < 2 { // itoa, ryu
		t.Fatalf("%d registry sources in the plan:\n%s", registry, b)
	}

	c := newConsumer(t, ws)
	link := c.build(t, "ca")
	if out := mustRun(t, ws, nil, filepath.Join(link, "bin", "regapp")); out != want {
		t.Errorf("the flake's regapp printed %q, cargo run %q", out, want)
	}

	// Unpacking again gives the fixed hash, even when an earlier run left the
	// outputs in the store (--rebuild checks a fixed output's hash).
	var rebuild []string
	for _, s := range plan.Sources {
		if s.Kind == "registry" {
			rebuild = append(rebuild, ".#legacyPackages."+nixSystemOf()+".ca.sources.\""+s.Name+"\"")
		}
	}
	mustNixFlakes(t, ws, append([]string{"build", "--rebuild", "--no-link"}, rebuild...)...)

	// The fixed-output sources are the CLI's copies: same store paths.
	out := mustNixFlakes(t, ws, "eval", "--json", ".#legacyPackages."+nixSystemOf()+".ca.sources",
		"--apply", `builtins.mapAttrs (n: s: toString s)`)
	var fod map[string]string
	if err := json.Unmarshal([]byte(out), &fod); err != nil {
		t.Fatal(err)
	}
	mustCNU(t, ws, "build", "--no-link")
	cli := cliSourcePaths(t, ws)
	for _, s := range plan.Sources {
		if s.Kind != "registry" {
			continue
		}
		if fod[s.Name] == "" || fod[s.Name] != cli[s.Name] {
			t.Errorf("%s: the flake's fixed-output source is %s, the CLI's copy %s", s.Name, fod[s.Name], cli[s.Name])
		}
	}
}

// cliSourcePaths maps a source's name to the store path the CLI's
// derivations take it from (their input sources).
func cliSourcePaths(t *testing.T, ws string) map[string]string {
	t.Helper()
	drvs := strings.Fields(mustCNU(t, ws, "build", "--dry-run").stdout)
	out := mustNixFlakes(t, ws, append([]string{"derivation", "show"}, drvs...)...)
	var show map[string]struct{ InputSrcs []string }
	if err := json.Unmarshal([]byte(out), &show); err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, d := range show {
		for _, p := range d.InputSrcs {
			base := filepath.Base(p)
			m[base[33:]] = p
		}
	}
	return m
}
