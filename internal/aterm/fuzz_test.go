package aterm

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"
)

// FuzzParse: any input either fails to parse or parses into a derivation whose
// ATerm is a fixed point: write → parse → write gives the same bytes and the same
// .drv path. Seeds: the golden .drv files and testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	drvs, _ := filepath.Glob("testdata/*.drv")
	for _, p := range drvs {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`Derive([("out","","r:sha256","")],[],[],"x86_64-linux","/bin/sh",["a\"\\\n\r\t\q"],[("name","x")])`))
	f.Fuzz(func(t *testing.T, in []byte) {
		d, err := Parse(in)
		if err != nil {
			return
		}
		var first bytes.Buffer
		if err := Write(&first, d); err != nil {
			return // a field Nix writes unescaped holds '"' or '\': Nix could not read it either
		}
		back, err := Parse(first.Bytes())
		if err != nil {
			t.Fatalf("Parse(Write(d)) failed: %v\n%s", err, first.Bytes())
		}
		if second := Bytes(back); !bytes.Equal(first.Bytes(), second) {
			t.Fatalf("write → parse → write is not stable:\n%s\n%s", first.Bytes(), second)
		}
		p1, err1 := DrvPath(d)
		p2, err2 := DrvPath(back)
		if (err1 == nil) != (err2 == nil) || p1 != p2 {
			t.Fatalf("DrvPath changed across a round trip: %s (%v) → %s (%v)", p1, err1, p2, err2)
		}
	})
}

// FuzzWriteParse: every string Write escapes (builder, arguments, environment)
// comes back from Parse unchanged, whatever bytes it holds.
func FuzzWriteParse(f *testing.F) {
	f.Add("/bin/sh", "-c", "name", "x")
	f.Add("b\"\\", "\n\r\t\\q", "k\"ey", "v\x00\xff")
	f.Fuzz(func(t *testing.T, builder, arg, key, val string) {
		d := &nixdrv.Derivation{
			Outputs:          map[string]*nixdrv.Output{"out": {HashAlgorithm: "r:sha256"}},
			InputDerivations: map[string][]string{"/nix/store/00000000000000000000000000000000-dep.drv": {"out"}},
			InputSources:     []string{"/nix/store/00000000000000000000000000000000-src"},
			Platform:         "x86_64-linux",
			Builder:          builder,
			Arguments:        []string{arg, ""},
			Env:              map[string]string{key: val, "name": "fuzz"},
		}
		var b bytes.Buffer
		if err := Write(&b, d); err != nil {
			t.Fatalf("Write: %v", err)
		}
		back, err := Parse(b.Bytes())
		if err != nil {
			t.Fatalf("Parse(Write(d)): %v\n%s", err, b.Bytes())
		}
		if !reflect.DeepEqual(d, back) {
			t.Fatalf("round trip changed\n%#v\ninto\n%#v", d, back)
		}
	})
}
