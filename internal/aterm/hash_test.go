package aterm

import (
	"encoding/hex"
	"os"
	"strings"
	"testing"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"
)

// Values from Nix 2.26.3: builtins.placeholder.
func TestPlaceholder(t *testing.T) {
	for out, want := range map[string]string{
		"out": "/1rz4g4znpzjwh1xymhjpm42vipw92pr73vdgl6xs1hycac8kf2n9",
		"dev": "/02qcpld1y6xhs5gz9bchpxaw0xdhmsp5dv88lh25r2ss44kh8dxz",
		"lib": "/0sra2y18lr3h6j58qjm0w46yv36h1wjmilb09n8aimdpivdymscx",
	} {
		if got := Placeholder(out); got != want {
			t.Errorf("Placeholder(%s) = %s, want %s", out, got, want)
		}
	}
}

// Values from Nix 2.26.3's evaluator: the env of a content-addressed derivation
// interpolating both outputs of another (up-a with outputs out and dev), and the
// same in the fixtures from testdata/eval.nix.
func TestUpstreamPlaceholder(t *testing.T) {
	const drv = "/nix/store/fvigb4qynp2kjj1ixg3hljv8l0zsc06m-up-a.drv"
	for out, want := range map[string]string{
		"out": "/0w4ybjqf5gb7024jip93jlr0qfyrg4rsswva5nm0fn8xgwy0hlqf",
		"dev": "/0h6gwvi0h51sgi5ayn9kbyvxbjhav8garriyx55ij3d6shqg8rj9",
	} {
		if got := UpstreamPlaceholder(drv, out); got != want {
			t.Errorf("UpstreamPlaceholder(%s, %s) = %s, want %s", drv, out, got, want)
		}
	}

	b, err := os.ReadFile("testdata/yvbh0xfi4ixf0i8lyrz79im3q5jw4v1h-aterm-eval-ca-b.drv")
	if err != nil {
		t.Fatal(err)
	}
	caB, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	const caA = "/nix/store/yb7scf8ciifwaqnbmmpz4l1qzy1ywcar-aterm-eval-ca-a.drv"
	if got, want := UpstreamPlaceholder(caA, "out"), caB.Env["o"]; got != want {
		t.Errorf("UpstreamPlaceholder(%s, out) = %s, Nix wrote %s", caA, got, want)
	}
	if got, want := UpstreamPlaceholder(caA, "dev"), caB.Env["d"]; got != want {
		t.Errorf("UpstreamPlaceholder(%s, dev) = %s, Nix wrote %s", caA, got, want)
	}
}

// The flat fixed-output path in Nix's own test data
// (src/libstore-tests/data/derivation/output-caFixedFlat.json).
func TestFixedOutputPath(t *testing.T) {
	o := &nixdrv.Output{HashAlgorithm: "sha256", Hash: "894517c9163c896ec31a2adbd33c0681fd5f45b2c0ef08a64c92a03fb97f390f"}
	got, err := fixedOutputPath(o, "drv-name-output-name")
	if want := "/nix/store/rhcg9h16sqvlbpsa6dqm57sbr2al6nzg-drv-name-output-name"; err != nil || got != want {
		t.Errorf("fixedOutputPath = %s, %v; want %s", got, err, want)
	}
	var digest [32]byte
	hex.Decode(digest[:], []byte(o.Hash))
	if got2 := StorePathForFlat(digest, "drv-name-output-name"); got2 != got {
		t.Errorf("StorePathForFlat = %s, want %s", got2, got)
	}
	for _, bad := range []*nixdrv.Output{
		{HashAlgorithm: "sha256", Hash: strings.ToUpper(o.Hash)},
		{HashAlgorithm: "sha256", Hash: o.Hash[:62]},
		{HashAlgorithm: "r:blake3", Hash: o.Hash},
		{HashAlgorithm: "text:sha256", Hash: o.Hash},
	} {
		if p, err := fixedOutputPath(bad, "x"); err == nil {
			t.Errorf("fixedOutputPath(%+v) = %s, want an error", bad, p)
		}
	}
}

func TestTypeOf(t *testing.T) {
	for _, tc := range []struct {
		outs map[string]*nixdrv.Output
		want drvType
		err  string
	}{
		{map[string]*nixdrv.Output{"out": {}, "dev": {}}, inputAddressed, ""},
		{map[string]*nixdrv.Output{"out": {Path: "/nix/store/a-x"}}, inputAddressed, ""},
		{map[string]*nixdrv.Output{"out": {HashAlgorithm: "r:sha256"}, "dev": {HashAlgorithm: "r:sha256"}}, floating, ""},
		{map[string]*nixdrv.Output{"out": {HashAlgorithm: "sha256", Hash: "00"}}, fixed, ""},
		{map[string]*nixdrv.Output{}, 0, "at least one output"},
		{map[string]*nixdrv.Output{"bin": {HashAlgorithm: "sha256", Hash: "00"}}, 0, `named "out"`},
		{map[string]*nixdrv.Output{"out": {Path: "/nix/store/a-x"}, "dev": {}}, 0, "can't mix"},
		{map[string]*nixdrv.Output{"out": {}, "dev": {HashAlgorithm: "r:sha256"}}, 0, "can't mix"},
		{map[string]*nixdrv.Output{"out": {HashAlgorithm: "r:sha256", Hash: "impure"}}, 0, "impure"},
	} {
		got, err := typeOf(&nixdrv.Derivation{Outputs: tc.outs})
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("typeOf(%v) error %v, want %q", tc.outs, err, tc.err)
			}
		} else if err != nil || got != tc.want {
			t.Errorf("typeOf(%v) = %v, %v; want %v", tc.outs, got, err, tc.want)
		}
	}
}

func TestHashErrors(t *testing.T) {
	ca := &nixdrv.Derivation{Outputs: map[string]*nixdrv.Output{"out": {HashAlgorithm: "r:sha256"}}, Env: map[string]string{"name": "x"}}
	if _, err := OutputPaths(ca, nil); err == nil || !strings.Contains(err.Error(), "floating") {
		t.Errorf("OutputPaths of a floating CA derivation: %v", err)
	}
	if _, err := HashModulo(ca, nil); err == nil {
		t.Error("HashModulo of a floating CA derivation gave no error")
	}
	ia := &nixdrv.Derivation{
		Outputs:          map[string]*nixdrv.Output{"out": {}},
		InputDerivations: map[string][]string{"/nix/store/a-dep.drv": {"out"}},
		Env:              map[string]string{"name": "x"},
	}
	for inputs, want := range map[*map[string]string]string{
		{}: "no hash modulo given",
		{"/nix/store/a-dep.drv": "/nix/store/a-dep.drv"}:  "not a lower-case hex SHA-256",
		{"/nix/store/a-dep.drv": strings.Repeat("A", 64)}: "not a lower-case hex SHA-256",
	} {
		if _, err := OutputPaths(ia, *inputs); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("OutputPaths with inputs %v: %v, want %q", *inputs, err, want)
		}
	}
	for name, want := range map[string]string{"": "no name", "a b": "illegal character", strings.Repeat("n", 208): "longer than 211"} {
		d := &nixdrv.Derivation{Outputs: map[string]*nixdrv.Output{"out": {}}, Env: map[string]string{"name": name}}
		if _, err := DrvPath(d); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("DrvPath with name %q: %v, want %q", name, err, want)
		}
	}
}

// Dependents hash an input's unmasked hash modulo; its own output paths use the
// masked one. The two differ, and TestNixOracle shows Nix wants the unmasked one.
func TestHashModuloIsUnmasked(t *testing.T) {
	d := &nixdrv.Derivation{Outputs: map[string]*nixdrv.Output{"out": {}}, Platform: "x", Builder: "/bin/sh", Env: map[string]string{"name": "x", "out": ""}}
	p, err := OutputPaths(d, nil)
	if err != nil {
		t.Fatal(err)
	}
	masked, _ := hashModulo(d, nil, true)
	d.Outputs["out"].Path, d.Env["out"] = p["out"], p["out"]
	if again, _ := OutputPaths(d, nil); again["out"] != p["out"] {
		t.Errorf("filling in the output changed OutputPaths: %s, then %s", p["out"], again["out"])
	}
	hm, err := HashModulo(d, nil)
	if err != nil || hm == hex.EncodeToString(masked) {
		t.Errorf("HashModulo = %s, %v; the masked hash is %x", hm, err, masked)
	}
}
