package buildscript

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// FuzzParse checks that no output makes Parse, Args or DepEnv panic, and that a
// parsed Output survives a JSON round trip. Seeds: testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Add("cargo::rustc-cfg=a\n", "")
	f.Add("cargo::error=x\r\n", "1.70")
	f.Fuzz(func(t *testing.T, stdout, rustVersion string) {
		o, err := Parse(strings.NewReader(stdout), Options{PackageName: "p", RustVersion: rustVersion, Targets: appTargets})
		if err != nil {
			return
		}
		for _, r := range []Receiver{{Kind: "lib", CrateTypes: []string{"cdylib"}, PackageHasLib: true}, {Kind: "bin", Name: "app"}, {Kind: "example"}} {
			Args(&Run{Output: o, OutDir: "/o/out"}, r, []Run{{Output: o, OutDir: "/d/out"}})
		}
		o.DepEnv("l-x")
		b, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		var back Output
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(normalize(*o), normalize(back)) {
			t.Errorf("JSON round trip changed %+v into %+v", *o, back)
		}
	})
}

// normalize makes empty slices nil, as omitempty does.
func normalize(o Output) Output {
	b, _ := json.Marshal(o)
	var n Output
	_ = json.Unmarshal(b, &n)
	return n
}
