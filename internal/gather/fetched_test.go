package gather

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/cargoconfig"
)

// A fetched registry replaces its source through the name Cargo knows it
// by (crates-io, a [source] table), else through a table of its own, as
// `cargo vendor` writes them.
func TestReplaceArgs(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, ".cargo"), 0o755)
	os.WriteFile(filepath.Join(root, ".cargo", "config.toml"), []byte(`
[source.crates-io]
replace-with = "mirror"
[source.mirror]
registry = "sparse+http://127.0.0.1:1/index/"
[registries.alt]
index = "sparse+http://127.0.0.1:2/alt/"
`), 0o644)
	cc, err := cargoconfig.Load(root, func(k string) string { return map[string]string{"CARGO_HOME": filepath.Join(root, "nohome")}[k] })
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		source string
		want   []string
	}{
		{"registry+https://default.example/index", []string{
			"--config", `source."v".directory="/d"`, "--config", `source."crates-io".replace-with="v"`}},
		{"sparse+http://127.0.0.1:1/index/", []string{
			"--config", `source."v".directory="/d"`, "--config", `source."mirror".replace-with="v"`}},
		{"sparse+http://127.0.0.1:2/alt/", []string{
			"--config", `source."v".directory="/d"`,
			"--config", `source."sparse+http://127.0.0.1:2/alt/".registry="sparse+http://127.0.0.1:2/alt/"`,
			"--config", `source."sparse+http://127.0.0.1:2/alt/".replace-with="v"`}},
		{"registry+https://git.example/index", []string{
			"--config", `source."v".directory="/d"`, "--config", `source."crates-io".replace-with="v"`}},
	} {
		got, err := replaceArgs(tc.source, "v", "/d", cc)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %q, %v\nwant %q", tc.source, got, err, tc.want)
		}
	}
	if _, err := replaceArgs("git+https://git.example/x", "v", "/d", cc); err == nil {
		t.Error("a git source was taken for a registry")
	}
}

// The fetched crates are unpacked as `cargo vendor` lays them out: every
// file below the crate's prefix, executable where the archive says, and
// Cargo.lock's checksum in .cargo-checksum.json.
func TestVendorUnpacks(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range []struct {
		name string
		mode int64
	}{{"x-1.0.0/Cargo.toml", 0o644}, {"x-1.0.0/src/lib.rs", 0o644}, {"x-1.0.0/run.sh", 0o755}, {"elsewhere/y", 0o644}} {
		tw.WriteHeader(&tar.Header{Name: f.name, Mode: f.mode, Size: 2, Typeflag: tar.TypeReg})
		tw.Write([]byte("x\n"))
	}
	tw.Close()
	gz.Close()
	crate := filepath.Join(dir, "x-1.0.0.crate")
	os.WriteFile(crate, buf.Bytes(), 0o644)
	cc, _ := cargoconfig.Load(dir, func(string) string { return "" })
	out := filepath.Join(dir, "vendor")
	args, err := vendor([]Fetched{{Source: "registry+https://default.example/index", Name: "x", Version: "1.0.0",
		Checksum: "ab", Crate: crate, URL: "http://127.0.0.1/x"}}, out, cc)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(args, " "), filepath.Join(out, "0")) {
		t.Errorf("args %q do not name the directory source", args)
	}
	var files []string
	filepath.Walk(filepath.Join(out, "0", "x-1.0.0"), func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			rel, _ := filepath.Rel(filepath.Join(out, "0", "x-1.0.0"), p)
			files = append(files, rel+" "+fi.Mode().String())
		}
		return err
	})
	want := []string{".cargo-checksum.json -rw-r--r--", "Cargo.toml -rw-r--r--", "run.sh -rwxr-xr-x", "src/lib.rs -rw-r--r--"}
	if !reflect.DeepEqual(files, want) {
		t.Errorf("unpacked %q, want %q", files, want)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "0", "x-1.0.0", ".cargo-checksum.json")); string(b) != `{"files":{},"package":"ab"}` {
		t.Errorf(".cargo-checksum.json: %s", b)
	}
}
