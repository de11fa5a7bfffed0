package buildscript

import (
	"reflect"
	"strings"
	"testing"
)

func TestFromOverride(t *testing.T) {
	o, err := FromOverride(map[string]any{
		"rustc-flags":           "-L /opt/lib -lz",
		"rustc-link-lib":        []any{"ssl", "static=crypto"},
		"rustc-link-search":     []any{"native=/opt/ssl"},
		"rustc-cfg":             []any{"ossl300"},
		"rustc-check-cfg":       []any{"cfg(ossl300)"},
		"rustc-link-arg":        []any{"-Wl,-O1"},
		"rustc-cdylib-link-arg": []any{"-Wl,-soname,x"},
		"rustc-env":             map[string]any{"B": "2", "A": "1"},
		"version_number":        "30000000",
		"include":               "/opt/ssl/include",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := &Output{
		LinkSearch: []string{"/opt/lib", "native=/opt/ssl"},
		LinkLibs:   []string{"z", "ssl", "static=crypto"},
		LinkArgs:   []LinkArg{{Only: OnlyCdylib, Arg: "-Wl,-soname,x"}, {Only: OnlyAll, Arg: "-Wl,-O1"}}, // keys sorted, as Cargo reads them
		Cfgs:       []string{"ossl300"},
		CheckCfgs:  []string{"cfg(ossl300)"},
		Env:        []EnvVar{{"A", "1"}, {"B", "2"}},
		Metadata:   []EnvVar{{"include", "/opt/ssl/include"}, {"version_number", "30000000"}},
	}
	if !reflect.DeepEqual(o, want) {
		t.Errorf("got  %+v\nwant %+v", o, want)
	}
	for _, bad := range []map[string]any{
		{"warning": "x"},
		{"rerun-if-changed": "build.rs"},
		{"rustc-link-lib": "ssl"},
		{"rustc-flags": "-O"},
		{"version": 3},
	} {
		if _, err := FromOverride(bad); err == nil {
			t.Errorf("%v: accepted", bad)
		} else if strings.TrimSpace(err.Error()) == "" {
			t.Errorf("%v: empty error", bad)
		}
	}
}
