package buildscript

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	out := `not a directive
cargo::rustc-cfg=has_foo
cargo:rustc-cfg=feature="x"
cargo::rustc-check-cfg=cfg(has_foo)
cargo::rustc-env=KEY=a=b  
cargo:rustc-link-lib=static=z
cargo::rustc-link-search=native=/out/lib
cargo:rustc-flags=-l ssl -L/usr/lib
cargo::rustc-link-arg-bin=app=-Wl,-z
cargo::rustc-link-arg=-pie
cargo:rustc-cdylib-link-arg=-shared
cargo::metadata=include=/out/include
cargo:root=/out
cargo::warning=careful
cargo::rerun-if-changed=build.rs
`
	o, err := Parse(strings.NewReader(out), Options{PackageName: "p"})
	if err != nil {
		t.Fatal(err)
	}
	want := &Output{
		Cfgs:           []string{"has_foo", `feature="x"`},
		CheckCfgs:      []string{"cfg(has_foo)"},
		Env:            []EnvVar{{"KEY", "a=b"}},
		LinkLibs:       []string{"static=z", "ssl"},
		LinkSearch:     []string{"native=/out/lib", "/usr/lib"},
		LinkArgs:       []LinkArg{{"bin=app", "-Wl,-z"}, {"", "-pie"}, {"cdylib", "-shared"}},
		Metadata:       []EnvVar{{"include", "/out/include"}, {"root", "/out"}},
		Warnings:       []string{"careful"},
		RerunIfChanged: []string{"build.rs"},
	}
	if !reflect.DeepEqual(o, want) {
		t.Errorf("Parse\n got %+v\nwant %+v", o, want)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		line, rustVersion, want string
	}{
		{"cargo::frobnicate=1", "", "unknown build script instruction `cargo::frobnicate`"},
		{"cargo::rustc-cfg=x", "1.70", "added in Rust 1.77.0"},
		{"cargo:rustc-flags=-O", "", "only supports -l and -L"},
		{"cargo:rustc-env=RUSTC_BOOTSTRAP=1", "", "RUSTC_BOOTSTRAP"},
		{"cargo::rustc-cfg", "", "`=` character"},
	} {
		_, err := Parse(strings.NewReader("ok\n"+tc.line+"\n"), Options{PackageName: "p", RustVersion: tc.rustVersion})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "line 2") {
			t.Errorf("%q: error %v, want one naming line 2 and %q", tc.line, err, tc.want)
		}
	}
}

func TestArgs(t *testing.T) {
	own := &Run{OutDir: "/own/out", Output: &Output{
		LinkSearch: []string{"native=/usr/lib", "native=/own/out/lib"},
		LinkLibs:   []string{"z"},
		LinkArgs:   []LinkArg{{"bin=app", "-a"}, {"bins", "-b"}, {"tests", "-t"}, {"", "-all"}, {"cdylib", "-c"}},
		Cfgs:       []string{"c1"},
		CheckCfgs:  []string{"cfg(c1)"},
		Env:        []EnvVar{{"K", "V"}},
	}}
	dep := Run{OutDir: "/dep/out", Output: &Output{LinkSearch: []string{"/dep/out/x"}, LinkLibs: []string{"never"}}}
	for _, tc := range []struct {
		name string
		r    Receiver
		want string
	}{
		{"lib", Receiver{Kind: "lib", PackageHasLib: true, CrateTypes: []string{"lib"}},
			"-L native=/own/out/lib -L /dep/out/x -L native=/usr/lib -l z -C link-arg=-all --cfg c1 --check-cfg cfg(c1)"},
		{"bin app of a package with a lib", Receiver{Kind: "bin", Name: "app", PackageHasLib: true},
			"-L native=/own/out/lib -L /dep/out/x -L native=/usr/lib -C link-arg=-a -C link-arg=-b -C link-arg=-all --cfg c1 --check-cfg cfg(c1)"},
		{"bin of a package without lib", Receiver{Kind: "bin", Name: "other"},
			"-L native=/own/out/lib -L /dep/out/x -L native=/usr/lib -l z -C link-arg=-b -C link-arg=-all --cfg c1 --check-cfg cfg(c1)"},
		{"integration test", Receiver{Kind: "test", Name: "it", PackageHasLib: true},
			"-L native=/own/out/lib -L /dep/out/x -L native=/usr/lib -C link-arg=-t -C link-arg=-all --cfg c1 --check-cfg cfg(c1)"},
		{"cdylib", Receiver{Kind: "lib", CrateTypes: []string{"cdylib"}, PackageHasLib: true},
			"-L native=/own/out/lib -L /dep/out/x -L native=/usr/lib -l z -C link-arg=-all -C link-arg=-c --cfg c1 --check-cfg cfg(c1)"},
	} {
		args, env := Args(own, tc.r, []Run{dep})
		if got := strings.Join(args, " "); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
		if !reflect.DeepEqual(env, []EnvVar{{"K", "V"}}) {
			t.Errorf("%s: env %v", tc.name, env)
		}
	}
	// A dependency's script gives only its search paths.
	if args, env := Args(nil, Receiver{Kind: "bin"}, []Run{dep}); strings.Join(args, " ") != "-L /dep/out/x" || env != nil {
		t.Errorf("dependent: %v %v", args, env)
	}
}

func TestDepEnv(t *testing.T) {
	o := &Output{Metadata: []EnvVar{{"include-dir", "/x"}, {"root", "/r"}}}
	want := []EnvVar{{"DEP_OPEN_SSL_INCLUDE_DIR", "/x"}, {"DEP_OPEN_SSL_ROOT", "/r"}}
	if got := o.DepEnv("open-ssl"); !reflect.DeepEqual(got, want) {
		t.Errorf("DepEnv = %v, want %v", got, want)
	}
	if o.DepEnv("") != nil {
		t.Error("a package without links gives no DEP_ variables")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"cargo::rustc-cfg=a\n", "cargo:rustc-flags=-l a -L b", "cargo::metadata=k=v\r\n", "\xff\xfecargo:x=\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = Parse(strings.NewReader(s), Options{PackageName: "p"})
	})
}
