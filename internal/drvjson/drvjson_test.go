package drvjson

import (
	"strings"
	"testing"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"
)

func TestParseVersion(t *testing.T) {
	for in, want := range map[string]string{"nix (Nix) 2.26.3": "2.26.3", "nix (Nix) 2.33.0pre": "2.33.0", "nix (Lix, like Nix) 2.91.1": "2.91.1"} {
		v, err := ParseVersion(in)
		if err != nil || v.String() != want {
			t.Errorf("ParseVersion(%q) = %v, %v; want %s", in, v, err, want)
		}
	}
	if _, err := ParseVersion("nix (Nix) 2.8.0"); err == nil || !strings.Contains(err.Error(), "Nix 2.18 or newer") {
		t.Errorf("2.8.0: %v", err)
	}
}

func TestEncodeByVersion(t *testing.T) {
	d := &nixdrv.Derivation{
		Outputs:          map[string]*nixdrv.Output{"out": {HashAlgorithm: "r:sha256"}},
		InputSources:     []string{"/nix/store/aaaa-src"},
		InputDerivations: map[string][]string{"/nix/store/bbbb-dep.drv": {"out"}},
		Platform:         "x86_64-linux",
		Builder:          "/nix/store/cccc-builder",
		Env:              map[string]string{"name": "x"},
	}
	for _, tc := range []struct {
		v    Version
		want string
	}{
		{Version{2, 18, 0}, `{"args":[],"builder":"/nix/store/cccc-builder","env":{"name":"x"},"inputDrvs":{"/nix/store/bbbb-dep.drv":{"dynamicOutputs":{},"outputs":["out"]}},"inputSrcs":["/nix/store/aaaa-src"],"name":"x","outputs":{"out":{"hashAlgo":"r:sha256"}},"system":"x86_64-linux"}`},
		{Version{2, 26, 3}, `{"args":[],"builder":"/nix/store/cccc-builder","env":{"name":"x"},"inputDrvs":{"/nix/store/bbbb-dep.drv":{"dynamicOutputs":{},"outputs":["out"]}},"inputSrcs":["/nix/store/aaaa-src"],"name":"x","outputs":{"out":{"hashAlgo":"sha256","method":"nar"}},"system":"x86_64-linux"}`},
		{Version{2, 32, 0}, `{"args":[],"builder":"/nix/store/cccc-builder","env":{"name":"x"},"inputDrvs":{"bbbb-dep.drv":{"dynamicOutputs":{},"outputs":["out"]}},"inputSrcs":["aaaa-src"],"name":"x","outputs":{"out":{"hashAlgo":"sha256","method":"nar"}},"system":"x86_64-linux","version":3}`},
		{Version{2, 33, 0}, `{"args":[],"builder":"/nix/store/cccc-builder","env":{"name":"x"},"inputs":{"drvs":{"bbbb-dep.drv":{"dynamicOutputs":{},"outputs":["out"]}},"srcs":["aaaa-src"]},"name":"x","outputs":{"out":{"hashAlgo":"sha256","method":"nar"}},"system":"x86_64-linux","version":4}`},
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
