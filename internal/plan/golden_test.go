package plan

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden plan files in testdata/")

// TestGolden plans each recorded input (testdata/<case>/unit-graph.json,
// metadata.json, input.json, recorded from real workspaces by gather's
// TestRecorded) and compares the plan file with testdata/<case>/plan.json.
func TestGolden(t *testing.T) {
	cases, err := filepath.Glob("testdata/*/input.json")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no recorded inputs in testdata/: %v", err)
	}
	for _, c := range cases {
		dir := filepath.Dir(c)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			read := func(name string) []byte {
				b, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				return b
			}
			in, err := DecodeInput(read("unit-graph.json"), read("metadata.json"), read("input.json"))
			if err != nil {
				t.Fatal(err)
			}
			p, err := New(in)
			if err != nil {
				t.Fatal(err)
			}
			f, err := p.File()
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := f.Write(&got); err != nil {
				t.Fatal(err)
			}
			checkNames(t, p)
			golden := filepath.Join(dir, "plan.json")
			if *update {
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("%s differs from the plan (go test -update rewrites it; review the diff):\n%s", golden, firstDiff(got.Bytes(), want))
			}
		})
	}
}

// checkNames: no two derivations of a plan (units, runs, the result) share a name or a key.
func checkNames(t *testing.T, p *Plan) {
	t.Helper()
	names, keys := map[string]bool{p.Result.Name: true}, map[string]bool{}
	for _, n := range append(p.Nodes[:len(p.Nodes):len(p.Nodes)], p.Runs...) {
		if names[n.Name] || keys[n.Key] {
			t.Errorf("%s: name %s or key %s is not unique", n, n.Name, n.Key)
		}
		names[n.Name], keys[n.Key] = true, true
	}
}

func firstDiff(got, want []byte) string {
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl []byte
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if !bytes.Equal(gl, wl) {
			return fmt.Sprintf("line %d:\n got  %s\n want %s", i+1, gl, wl)
		}
	}
	return ""
}
