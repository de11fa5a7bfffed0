package drvjson

import (
	"strings"
	"testing"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"
)

func TestParseVersion(t *testing.T) {
	for in, want := range map[string]string{
		"nix (Nix) 2.26.3":                       "2.26.3",
		"nix (Nix) 2.26.3\n":                     "2.26.3",
		"nix (Nix) 2.18.1\nSystem type: x86_64":  "2.18.1",
		"nix (Nix) 2.33.0pre20250101_abcdef":     "2.33.0",
		"nix (Nix) 2.30":                         "2.30.0",
		"nix (Lix, like Nix) 2.91.1":             "Lix 2.91.1",
		"nix (Determinate Nix 3.8.2) 2.30.2":     "2.30.2",
		"nix (Determinate Nix 3.11.3) 2.31.2\n":  "2.31.2",
		"nix (Nix) 3.0.0":                        "3.0.0",
		"  nix (Nix) 2.24.10  ":                  "2.24.10",
		"nix (Nix) 2.28.4+2 (patched by distro)": "2.28.4",
	} {
		v, err := ParseVersion(in)
		if err != nil || v.String() != want {
			t.Errorf("ParseVersion(%q) = %v, %v; want %s", in, v, err, want)
		}
	}
	for _, in := range []string{"nix (Nix) 2.8.0", "nix (Nix) 2.17.1", "nix (Nix) 1.11.16"} {
		if _, err := ParseVersion(in); err == nil || !strings.Contains(err.Error(), "Nix 2.18 or newer") {
			t.Errorf("ParseVersion(%q): %v, want an error naming Nix 2.18 or newer", in, err)
		}
	}
	if _, err := ParseVersion("command not found"); err == nil {
		t.Error("ParseVersion of no version gave no error")
	}
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		v    Version
		want format
	}{
		{Version{Major: 2, Minor: 18}, format218},
		{Version{Major: 2, Minor: 22, Patch: 4}, format218},
		{Version{Major: 2, Minor: 23}, format223},
		{Version{Major: 2, Minor: 31, Patch: 5}, format223},
		{Version{Major: 2, Minor: 32}, format232},
		{Version{Major: 2, Minor: 32, Patch: 8}, format232},
		{Version{Major: 2, Minor: 33}, format233},
		{Version{Major: 2, Minor: 35, Patch: 2}, format233},
		{Version{Major: 3}, format233},
		{Version{Major: 2, Minor: 93, Lix: true}, format218},
	} {
		if got := tc.v.format(); got != tc.want {
			t.Errorf("%s: format %d, want %d", tc.v, got, tc.want)
		}
	}
}

// The hash of Nix's own test data (src/libstore-tests/data/derivation/
// output-caFixed*.json), whose SRI form 2.33 prints there.
const (
	fixedHex = "894517c9163c896ec31a2adbd33c0681fd5f45b2c0ef08a64c92a03fb97f390f"
	fixedSRI = "sha256-iUUXyRY8iW7DGirb0zwGgf1fRbLA7wimTJKgP7l/OQ8="
)

func TestEncodeOutputs(t *testing.T) {
	versions := []Version{{Major: 2, Minor: 18}, {Major: 2, Minor: 23}, {Major: 2, Minor: 32}, {Major: 2, Minor: 33}}
	for _, tc := range []struct {
		out  nixdrv.Output
		want [4]string // by version above
	}{
		{nixdrv.Output{Path: "/nix/store/c015dhfh5l0lp6wxyvdn7bmwhbbr6hr9-x"}, [4]string{
			`{"path":"/nix/store/c015dhfh5l0lp6wxyvdn7bmwhbbr6hr9-x"}`,
			`{"path":"/nix/store/c015dhfh5l0lp6wxyvdn7bmwhbbr6hr9-x"}`,
			`{"path":"c015dhfh5l0lp6wxyvdn7bmwhbbr6hr9-x"}`,
			`{"path":"c015dhfh5l0lp6wxyvdn7bmwhbbr6hr9-x"}`,
		}},
		{nixdrv.Output{}, [4]string{`{}`, `{}`, `{}`, `{}`}},
		{nixdrv.Output{HashAlgorithm: "r:sha256"}, [4]string{
			`{"hashAlgo":"r:sha256"}`,
			`{"hashAlgo":"sha256","method":"nar"}`,
			`{"hashAlgo":"sha256","method":"nar"}`,
			`{"hashAlgo":"sha256","method":"nar"}`,
		}},
		{nixdrv.Output{HashAlgorithm: "sha256", Path: "/nix/store/rhcg9h16sqvlbpsa6dqm57sbr2al6nzg-x", Hash: fixedHex}, [4]string{
			`{"hash":"` + fixedHex + `","hashAlgo":"sha256","path":"/nix/store/rhcg9h16sqvlbpsa6dqm57sbr2al6nzg-x"}`,
			`{"hash":"` + fixedHex + `","hashAlgo":"sha256","method":"flat","path":"/nix/store/rhcg9h16sqvlbpsa6dqm57sbr2al6nzg-x"}`,
			`{"hash":"` + fixedHex + `","hashAlgo":"sha256","method":"flat"}`,
			`{"hash":"` + fixedSRI + `","method":"flat"}`,
		}},
		{nixdrv.Output{HashAlgorithm: "r:sha256", Path: "/nix/store/rhcg9h16sqvlbpsa6dqm57sbr2al6nzg-x", Hash: fixedHex}, [4]string{
			`{"hash":"` + fixedHex + `","hashAlgo":"r:sha256","path":"/nix/store/rhcg9h16sqvlbpsa6dqm57sbr2al6nzg-x"}`,
			`{"hash":"` + fixedHex + `","hashAlgo":"sha256","method":"nar","path":"/nix/store/rhcg9h16sqvlbpsa6dqm57sbr2al6nzg-x"}`,
			`{"hash":"` + fixedHex + `","hashAlgo":"sha256","method":"nar"}`,
			`{"hash":"` + fixedSRI + `","method":"nar"}`,
		}},
		{nixdrv.Output{HashAlgorithm: "r:sha1", Path: "/nix/store/rhcg9h16sqvlbpsa6dqm57sbr2al6nzg-x", Hash: "0000000000000000000000000000000000000001"}, [4]string{
			`{"hash":"0000000000000000000000000000000000000001","hashAlgo":"r:sha1","path":"/nix/store/rhcg9h16sqvlbpsa6dqm57sbr2al6nzg-x"}`,
			`{"hash":"0000000000000000000000000000000000000001","hashAlgo":"sha1","method":"nar","path":"/nix/store/rhcg9h16sqvlbpsa6dqm57sbr2al6nzg-x"}`,
			`{"hash":"0000000000000000000000000000000000000001","hashAlgo":"sha1","method":"nar"}`,
			`{"hash":"sha1-AAAAAAAAAAAAAAAAAAAAAAAAAAE=","method":"nar"}`,
		}},
	} {
		for i, v := range versions {
			d := &nixdrv.Derivation{Outputs: map[string]*nixdrv.Output{"out": &tc.out}, Env: map[string]string{"name": "x"}}
			js, err := Encode(d, v)
			if err != nil {
				t.Fatal(err)
			}
			if want := `"outputs":{"out":` + tc.want[i] + `}`; !strings.Contains(string(js), want) {
				t.Errorf("Nix %s, %+v:\n got %s\nwant %s", v, tc.out, js, want)
			}
		}
	}
}

func TestEncodeByVersion(t *testing.T) {
	d := &nixdrv.Derivation{
		Outputs:          map[string]*nixdrv.Output{"out": {HashAlgorithm: "r:sha256"}},
		InputSources:     []string{"/nix/store/aaaa-src", "/nix/store/0000-src", "/nix/store/aaaa-src"},
		InputDerivations: map[string][]string{"/nix/store/bbbb-dep.drv": {"out", "dev", "out"}},
		Platform:         "x86_64-linux",
		Builder:          "/nix/store/cccc-builder",
		Env:              map[string]string{"name": "x", "dep": "/nix/store/dddd-dep"},
	}
	const (
		head  = `{"args":[],"builder":"/nix/store/cccc-builder","env":{"dep":"/nix/store/dddd-dep","name":"x"},`
		drvs  = `{"/nix/store/bbbb-dep.drv":{"dynamicOutputs":{},"outputs":["dev","out"]}}`
		srcs  = `["/nix/store/0000-src","/nix/store/aaaa-src"]`
		drvsB = `{"bbbb-dep.drv":{"dynamicOutputs":{},"outputs":["dev","out"]}}`
		srcsB = `["0000-src","aaaa-src"]`
		float = `{"out":{"hashAlgo":"sha256","method":"nar"}}`
	)
	for _, tc := range []struct {
		v    Version
		want string
	}{
		{Version{Major: 2, Minor: 18}, head + `"inputDrvs":` + drvs + `,"inputSrcs":` + srcs + `,"name":"x","outputs":{"out":{"hashAlgo":"r:sha256"}},"system":"x86_64-linux"}`},
		{Version{Major: 2, Minor: 91, Patch: 1, Lix: true}, head + `"inputDrvs":` + drvs + `,"inputSrcs":` + srcs + `,"name":"x","outputs":{"out":{"hashAlgo":"r:sha256"}},"system":"x86_64-linux"}`},
		{Version{Major: 2, Minor: 26, Patch: 3}, head + `"inputDrvs":` + drvs + `,"inputSrcs":` + srcs + `,"name":"x","outputs":` + float + `,"system":"x86_64-linux"}`},
		{Version{Major: 2, Minor: 32}, head + `"inputDrvs":` + drvsB + `,"inputSrcs":` + srcsB + `,"name":"x","outputs":` + float + `,"system":"x86_64-linux","version":3}`},
		{Version{Major: 2, Minor: 33}, head + `"inputs":{"drvs":` + drvsB + `,"srcs":` + srcsB + `},"name":"x","outputs":` + float + `,"system":"x86_64-linux","version":4}`},
	} {
		got, err := Encode(d, tc.v)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tc.want {
			t.Errorf("Nix %s:\n got %s\nwant %s", tc.v, got, tc.want)
		}
	}
}

func TestEncodeErrors(t *testing.T) {
	v226 := Version{Major: 2, Minor: 26}
	for _, tc := range []struct {
		d    *nixdrv.Derivation
		v    Version
		want string
	}{
		{&nixdrv.Derivation{Outputs: map[string]*nixdrv.Output{"out": {}}, Env: map[string]string{}}, v226, "no name"},
		{&nixdrv.Derivation{Outputs: map[string]*nixdrv.Output{"out": {HashAlgorithm: "sha256", Hash: fixedHex}}, Env: map[string]string{"name": "x"}}, v226, "without its path"},
		{&nixdrv.Derivation{Outputs: map[string]*nixdrv.Output{"out": {HashAlgorithm: "sha256", Hash: "xyz"}}, Env: map[string]string{"name": "x"}}, Version{Major: 2, Minor: 33}, "not hex"},
		{&nixdrv.Derivation{Outputs: map[string]*nixdrv.Output{"out": {HashAlgorithm: "r:sha256", Hash: "impure"}}, Env: map[string]string{"name": "x"}}, v226, "impure"},
		{&nixdrv.Derivation{Outputs: map[string]*nixdrv.Output{"out": {}}, Arguments: []string{"\xff"}, Env: map[string]string{"name": "x"}}, v226, "not UTF-8"},
	} {
		if _, err := Encode(tc.d, tc.v); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Encode(%+v): %v, want %q", tc.d, err, tc.want)
		}
	}
}
