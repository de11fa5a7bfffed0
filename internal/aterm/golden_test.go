package aterm

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"
)

// TestGolden reads the .drv files real Nix wrote (testdata/<hash>-<name>.drv,
// from `nix derivation add` and from Nix's evaluator; go test -update rewrites
// them): parsing and writing gives the same bytes, DrvPath gives the file's name,
// and OutputPaths gives every known output path, with HashModulo of the inputs
// computed over the fixtures the way Nix's pathDerivationModulo does.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.drv")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in testdata (%v); run go test -update with nix on PATH", err)
	}
	drvs := map[string]*nixdrv.Derivation{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d, err := Parse(b)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if got := Bytes(d); !bytes.Equal(got, b) {
			t.Errorf("%s: parse and write gives\n%s\nwant\n%s", f, got, b)
		}
		path := StoreDir + "/" + filepath.Base(f)
		if got, err := DrvPath(d); err != nil || got != path {
			t.Errorf("DrvPath = %s, %v; want %s", got, err, path)
		}
		drvs[path] = d
	}

	memo := map[string]string{}
	var hashOf func(path string) (string, error)
	hashOf = func(path string) (string, error) {
		if h, ok := memo[path]; ok {
			return h, nil
		}
		d, ok := drvs[path]
		if !ok {
			return "", fmt.Errorf("input %s is not a fixture", path)
		}
		inputs, err := inputHashes(d, hashOf)
		if err != nil {
			return "", err
		}
		h, err := HashModulo(d, inputs)
		memo[path] = h
		return h, err
	}

	checked := 0
	for path, d := range drvs {
		if typ, _ := typeOf(d); typ == floating || d.Outputs[sortedKeys(d.Outputs)[0]].Path == "" {
			continue // floating or deferred: no path before building
		}
		inputs, err := inputHashes(d, hashOf)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		got, err := OutputPaths(d, inputs)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for name, o := range d.Outputs {
			if got[name] != o.Path {
				t.Errorf("%s: OutputPaths[%s] = %s, Nix has %s", path, name, got[name], o.Path)
			}
		}
		checked++
	}
	if checked < 8 {
		t.Errorf("only %d fixtures had known output paths to check", checked)
	}
}

func inputHashes(d *nixdrv.Derivation, hashOf func(string) (string, error)) (map[string]string, error) {
	inputs := map[string]string{}
	for p := range d.InputDerivations {
		h, err := hashOf(p)
		if err != nil {
			return nil, err
		}
		inputs[p] = h
	}
	return inputs, nil
}
