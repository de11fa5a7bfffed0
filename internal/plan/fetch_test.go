package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/derivation"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testtool"
)

func recorded(t *testing.T, name string) *Input {
	t.Helper()
	read := func(f string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", name, f))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	in, err := DecodeInput(read("unit-graph.json"), read("metadata.json"), read("input.json"))
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// A registry crate with a checksum and a download URL is fetched and
// unpacked by fixed-output derivations, as the flake does: its units take
// the unpacking as an input derivation, whose output is the source's store
// path, instead of the source as an input source. Any other source stays an
// input source.
func TestDeriveFetchedSource(t *testing.T) {
	const itoa = "registry+https://github.com/rust-lang/crates.io-index#itoa@1.0.1"
	for _, ca := range []bool{true, false} {
		in := recorded(t, "workspace")
		o := in.Origins[itoa]
		o.Kind, o.URL = "registry", "http://127.0.0.1:1/crates/itoa/1.0.1/download"
		in.Origins["registry+https://github.com/rust-lang/crates.io-index#libc@0.2.139"].Kind = "registry" // no URL
		p, err := New(in)
		if err != nil {
			t.Fatal(err)
		}
		opts := derivation.Options{CA: ca, System: "x86_64-linux", Builder: "/nix/store/00000000000000000000000000000000-builder"}
		if err := p.Derive(opts); err != nil {
			t.Fatal(err)
		}
		if len(p.Fetches) != 1 {
			t.Fatalf("%d fetched sources, want itoa's", len(p.Fetches))
		}
		f := p.Fetches[0]
		if f.Source != in.Sources[itoa] || f.Unpack.Out != f.Source.Path || f.Crate.Name != "itoa-1.0.1.crate" {
			t.Errorf("fetch: source %s, unpacked %s, crate %s", f.Source.Name, f.Unpack.Out, f.Crate.Name)
		}
		if _, ok := f.Unpack.Drv.InputDerivations[f.Crate.Path]; !ok || f.Crate.Drv.Env["url"] != o.URL || f.Crate.Out == "" {
			t.Errorf("the unpacking does not read the fetch of %s", o.URL)
		}
		readers := 0
		for _, n := range p.Nodes {
			d := n.Drv.Drv
			_, fetched := d.InputDerivations[f.Unpack.Path]
			if n.Source == f.Source {
				readers++
				if !fetched || slices.Contains(d.InputSources, f.Source.Path) {
					t.Errorf("%s: input derivations %v, input sources %v: want the unpacking, not the source", n, d.InputDerivations, d.InputSources)
				}
			} else if fetched || n.Source != nil && !slices.Contains(d.InputSources, n.Source.Path) {
				t.Errorf("%s: its source %s is not an input source", n, n.Source.Name)
			}
		}
		if readers == 0 {
			t.Error("no unit reads itoa")
		}
	}
}

// The flake (nix/build-workspace.nix) evaluates, for a fetched source and a
// unit reading it, the derivations Derive writes, CA and input-addressed;
// also for a file list long enough that the unpacking's job goes through a
// file (passAsFile).
func TestFlakeWritesTheSameFetches(t *testing.T) {
	testtool.Require(t, "nix-instantiate")
	const itoa = "registry+https://github.com/rust-lang/crates.io-index#itoa@1.0.1"
	for _, long := range []bool{false, true} {
		in := recorded(t, "workspace")
		o := in.Origins[itoa]
		o.Kind, o.URL = "registry", "http://127.0.0.1:1/crates/itoa/1.0.1/download"
		if long {
			s := in.Sources[itoa]
			for i := range 2000 {
				s.Files = append(s.Files, fmt.Sprintf("tests/generated/a-rather-long-name-for-a-test-input-%04d.rs", i))
			}
		}
		p, err := New(in)
		if err != nil {
			t.Fatal(err)
		}
		f, err := p.File()
		if err != nil {
			t.Fatal(err)
		}
		f.Checked = []Checked{} // the recorded workspace is not here
		ws := t.TempDir()
		var b bytes.Buffer
		if err := f.Write(&b); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(ws, "nix-unit.json"), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		sysroot := filepath.Dir(filepath.Dir(in.Toolchain.Rustc))
		nixFile, err := filepath.Abs("../../nix/build-workspace.nix")
		if err != nil {
			t.Fatal(err)
		}
		expr := fmt.Sprintf(`let
  builder = builtins.toFile "cargo-nix-unit-builder" "x";
  ws = ca: import %s { src = %s; rustToolchain = %q; inherit builder; system = "x86_64-linux"; contentAddressed = ca; };
in {
  builder = "${builder}";
  source = (ws true).sources."itoa-1.0.1-source".drvPath;
  ca = (ws true).units."itoa-1.0.1-lib".drvPath;
  ia = (ws false).units."itoa-1.0.1-lib".drvPath;
}`, nixFile, ws, sysroot)
		out, err := exec.Command("nix-instantiate", "--eval", "--strict", "--json", "--readonly-mode",
			"--extra-experimental-features", "ca-derivations", "--expr", expr).Output()
		if err != nil {
			var stderr []byte
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = ee.Stderr
			}
			t.Fatalf("nix-instantiate: %v\n%s", err, stderr)
		}
		var want map[string]string
		if err := json.Unmarshal(out, &want); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{"builder": want["builder"]}
		for _, ca := range []bool{true, false} {
			if err := p.Derive(derivation.Options{CA: ca, System: "x86_64-linux", Builder: want["builder"]}); err != nil {
				t.Fatal(err)
			}
			got["source"] = p.Fetches[0].Unpack.Path
			if _, file := p.Fetches[0].Unpack.Drv.Env["passAsFile"]; file != long {
				t.Errorf("long file list %v: the unpacking's job through a file: %v", long, file)
			}
			for _, n := range p.Nodes {
				if n.Key == "itoa-1.0.1-lib" && ca {
					got["ca"] = n.Drv.Path
				} else if n.Key == "itoa-1.0.1-lib" {
					got["ia"] = n.Drv.Path
				}
			}
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("long file list %v: %s: Derive writes %s, the flake %s", long, k, got[k], w)
			}
		}
	}
}

func TestFetchPathsAndDrvs(t *testing.T) {
	drv := func(name string) *derivation.Drv {
		return &derivation.Drv{Path: "/nix/store/" + name + ".drv", Out: "/nix/store/" + name}
	}
	p := &Plan{Fetches: []*Fetch{
		{Crate: drv("a.crate"), Unpack: drv("a-src")},
		{Crate: drv("b.crate"), Unpack: drv("b-src")},
	}}
	wantPaths := []string{
		"/nix/store/a.crate", "/nix/store/a.crate.drv", "/nix/store/a-src.drv",
		"/nix/store/b.crate", "/nix/store/b.crate.drv", "/nix/store/b-src.drv",
	}
	if got := p.FetchPaths(); !slices.Equal(got, wantPaths) {
		t.Errorf("FetchPaths = %v, want %v", got, wantPaths)
	}
	var drvs []string
	for _, d := range p.FetchDrvs() {
		drvs = append(drvs, d.Path)
	}
	wantDrvs := []string{"/nix/store/a.crate.drv", "/nix/store/a-src.drv", "/nix/store/b.crate.drv", "/nix/store/b-src.drv"}
	if !slices.Equal(drvs, wantDrvs) {
		t.Errorf("FetchDrvs = %v, want %v", drvs, wantDrvs)
	}
	if (&Plan{}).FetchPaths() != nil || (&Plan{}).FetchDrvs() != nil {
		t.Error("a plan without fetches adds nothing")
	}
}
