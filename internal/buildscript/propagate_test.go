package buildscript

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// own prints every directive; its search paths mix paths inside its OUT_DIR with
// external ones.
var own = Run{OutDir: "/own/out", Output: &Output{
	LinkSearch: []string{"/usr/lib", "native=/own/out/lib", "framework=/own/out/fw", "/own/other", "dependency=/own/out/../x"},
	LinkLibs:   []string{"static=z", "dylib=m"},
	LinkArgs: []LinkArg{{"", "-all"}, {"bin=app", "-bin-app"}, {"bins", "-bins"}, {"tests", "-tests"},
		{"benches", "-benches"}, {"examples", "-examples"}, {"cdylib", "-cdylib"}},
	Cfgs:      []string{"c1", `k="v"`},
	CheckCfgs: []string{"cfg(c1)"},
	Env:       []EnvVar{{"K", "V"}},
	Metadata:  []EnvVar{{"never", "passed"}},
}}

// dep is a dependency's run: only its search paths, and its cdylib link args for
// cdylib units, get through.
var dep = Run{OutDir: "/dep/out", Output: &Output{
	LinkSearch: []string{"native=/dep/ext", "native=/dep/out/lib", "/own/out/not-mine"},
	LinkLibs:   []string{"never"},
	LinkArgs:   []LinkArg{{"", "-dep-all"}, {"bins", "-dep-bins"}, {"cdylib", "-dep-cdylib"}},
	Cfgs:       []string{"dep_cfg"},
	CheckCfgs:  []string{"cfg(dep_cfg)"},
	Env:        []EnvVar{{"DEP", "never"}},
}}

func TestArgs(t *testing.T) {
	const (
		search = "-L native=/own/out/lib -L framework=/own/out/fw -L dependency=/own/out/../x -L native=/dep/out/lib " +
			"-L /usr/lib -L /own/other -L native=/dep/ext -L /own/out/not-mine"
		libs = " -l static=z -l dylib=m"
		cfgs = " --cfg c1 --cfg k=\"v\" --check-cfg cfg(c1)"
	)
	for _, tc := range []struct {
		name string
		r    Receiver
		want string
	}{
		{"rlib", Receiver{Kind: "lib", Name: "p", CrateTypes: []string{"lib"}, PackageHasLib: true},
			search + libs + " -C link-arg=-all" + cfgs},
		{"lib given as rlib kind", Receiver{Kind: "rlib", Name: "p", PackageHasLib: true},
			search + libs + " -C link-arg=-all" + cfgs},
		{"cdylib+rlib lib", Receiver{Kind: "lib", Name: "p", CrateTypes: []string{"cdylib", "rlib"}, PackageHasLib: true},
			search + libs + " -C link-arg=-all -C link-arg=-cdylib -C link-arg=-dep-cdylib" + cfgs},
		{"cdylib lib compiled with --test", Receiver{Kind: "lib", Name: "p", CrateTypes: []string{"cdylib"}, Test: true, PackageHasLib: true},
			search + libs + " -C link-arg=-all" + cfgs},
		{"lib compiled with --test", Receiver{Kind: "lib", Name: "p", CrateTypes: []string{"lib"}, Test: true, PackageHasLib: true},
			search + libs + " -C link-arg=-all" + cfgs},
		{"proc-macro", Receiver{Kind: "lib", Name: "p", CrateTypes: []string{"proc-macro"}, PackageHasLib: true},
			search + libs + " -C link-arg=-all" + cfgs},
		{"staticlib", Receiver{Kind: "lib", Name: "p", CrateTypes: []string{"staticlib"}, PackageHasLib: true},
			search + libs + " -C link-arg=-all" + cfgs},
		{"bin app, package with lib", Receiver{Kind: "bin", Name: "app", PackageHasLib: true},
			search + " -C link-arg=-all -C link-arg=-bin-app -C link-arg=-bins" + cfgs},
		{"other bin", Receiver{Kind: "bin", Name: "other", PackageHasLib: true},
			search + " -C link-arg=-all -C link-arg=-bins" + cfgs},
		{"bin app compiled with --test", Receiver{Kind: "bin", Name: "app", Test: true, PackageHasLib: true},
			search + " -C link-arg=-all -C link-arg=-bin-app -C link-arg=-bins" + cfgs},
		{"bin of a package without lib", Receiver{Kind: "bin", Name: "other"},
			search + libs + " -C link-arg=-all -C link-arg=-bins" + cfgs},
		{"integration test", Receiver{Kind: "test", Name: "it", Test: true, PackageHasLib: true},
			search + " -C link-arg=-all -C link-arg=-tests" + cfgs},
		{"integration test, package without lib", Receiver{Kind: "test", Name: "it", Test: true},
			search + libs + " -C link-arg=-all -C link-arg=-tests" + cfgs},
		{"bench", Receiver{Kind: "bench", Name: "b", Test: true, PackageHasLib: true},
			search + " -C link-arg=-all -C link-arg=-benches" + cfgs},
		{"example", Receiver{Kind: "example", Name: "ex", CrateTypes: []string{"bin"}, PackageHasLib: true},
			search + " -C link-arg=-all -C link-arg=-examples" + cfgs},
		{"example, no crate types given", Receiver{Kind: "example", Name: "ex", PackageHasLib: true},
			search + " -C link-arg=-all -C link-arg=-examples" + cfgs},
		{"cdylib example is neither an exe example nor a cdylib", Receiver{Kind: "example", Name: "ex", CrateTypes: []string{"cdylib"}, PackageHasLib: true},
			search + " -C link-arg=-all" + cfgs},
		{"build script compile gets only dependencies' paths", Receiver{Kind: "custom-build", Name: "build-script-build", PackageHasLib: true},
			"-L native=/dep/out/lib -L native=/dep/ext -L /own/out/not-mine"},
		{"rustdoc gets only its own cfgs", Receiver{Kind: "lib", Name: "p", CrateTypes: []string{"lib"}, PackageHasLib: true, Doc: true},
			strings.TrimPrefix(cfgs, " ")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			deps := []Run{dep, dep, own} // repeated runs are skipped
			if tc.r.Kind == "custom-build" {
				deps = deps[:2]
			}
			args, env := Args(&own, tc.r, deps)
			if got := strings.Join(args, " "); got != tc.want {
				t.Errorf("args\n got %s\nwant %s", got, tc.want)
			}
			wantEnv := []EnvVar{{"K", "V"}}
			if tc.r.Kind == "custom-build" {
				wantEnv = nil
			}
			if !reflect.DeepEqual(env, wantEnv) {
				t.Errorf("env %v, want %v", env, wantEnv)
			}
		})
	}
}

func TestOwnAndDependentArgs(t *testing.T) {
	bin := Receiver{Kind: "bin", Name: "app", PackageHasLib: true}
	args, env := own.Output.OwnArgs(bin, own.OutDir)
	want := "-L native=/own/out/lib -L framework=/own/out/fw -L dependency=/own/out/../x -L /usr/lib -L /own/other " +
		"-C link-arg=-all -C link-arg=-bin-app -C link-arg=-bins --cfg c1 --cfg k=\"v\" --check-cfg cfg(c1)"
	if got := strings.Join(args, " "); got != want || len(env) != 1 {
		t.Errorf("OwnArgs\n got %s %v\nwant %s", got, env, want)
	}
	if got := strings.Join(dep.Output.DependentArgs(bin, dep.OutDir), " "); got != "-L native=/dep/out/lib -L native=/dep/ext -L /own/out/not-mine" {
		t.Errorf("DependentArgs(bin) = %s", got)
	}
	cdylib := Receiver{Kind: "lib", CrateTypes: []string{"cdylib"}, PackageHasLib: true}
	if got := strings.Join(dep.Output.DependentArgs(cdylib, dep.OutDir), " "); !strings.HasSuffix(got, " -C link-arg=-dep-cdylib") {
		t.Errorf("DependentArgs(cdylib) = %s", got)
	}
	// Several dependencies: Cargo puts all their paths inside OUT_DIRs first.
	dep2 := Run{OutDir: "/d2/out", Output: &Output{LinkSearch: []string{"/usr/d2", "/d2/out"}}}
	args, env = Args(nil, bin, []Run{dep, dep2})
	want = "-L native=/dep/out/lib -L /d2/out -L native=/dep/ext -L /own/out/not-mine -L /usr/d2"
	if got := strings.Join(args, " "); got != want || env != nil {
		t.Errorf("two dependencies\n got %s %v\nwant %s", got, env, want)
	}
}

func TestPathHasPrefix(t *testing.T) {
	for _, tc := range []struct {
		path, prefix string
		want         bool
	}{
		{"/a/out", "/a/out", true},
		{"/a/out/", "/a/out", true},
		{"/a//out/./lib", "/a/out", true},
		{"/a/out/../x", "/a/out", true},
		{"/a/outer", "/a/out", false},
		{"/a", "/a/out", false},
		{"a/out", "/a/out", false},
		{"./a", "a", false},
		{"./a", ".", true},
		{"/x", "", false},
	} {
		if got := pathHasPrefix(tc.path, tc.prefix); got != tc.want {
			t.Errorf("pathHasPrefix(%q, %q) = %v", tc.path, tc.prefix, got)
		}
	}
}

func TestDylibPaths(t *testing.T) {
	o := &Output{LinkSearch: []string{"native=/r/out/lib", "/usr/lib", "/r/x", "weird=/r/y", "all=/r"}}
	if got := o.DylibPaths("/r"); !reflect.DeepEqual(got, []string{"/r/out/lib", "/r/x", "/r"}) {
		t.Errorf("DylibPaths = %q", got)
	}
}

func TestDepEnv(t *testing.T) {
	o := &Output{Metadata: []EnvVar{{"include-dir", "/x"}, {"Root", "/r"}, {"", "e"}, {"a.b", "1"}, {"straße", "s"}, {"INCLUDE_DIR", "/y"}}}
	want := []EnvVar{{"DEP_OPEN_SSL_INCLUDE_DIR", "/y"}, {"DEP_OPEN_SSL_ROOT", "/r"}, {"DEP_OPEN_SSL_", "e"},
		{"DEP_OPEN_SSL_A.B", "1"}, {"DEP_OPEN_SSL_STRASSE", "s"}}
	if got := o.DepEnv("open-ssl"); !reflect.DeepEqual(got, want) {
		t.Errorf("DepEnv\n got %v\nwant %v", got, want)
	}
	if o.DepEnv("") != nil {
		t.Error("a package without links gives no DEP_ variables")
	}
}

func TestValidate(t *testing.T) {
	o := &Output{LinkArgs: []LinkArg{{"", "-a"}, {"cdylib", "-c"}, {"bin=app", "-b"}, {"tests", "-t"}, {"benches", "-be"}, {"examples", "-e"}, {"bins", "-bs"}}}
	if err := o.Validate(appTargets); err != nil {
		t.Errorf("Validate: %v", err)
	}
	if err := o.Validate(appTargets[:1]); err == nil || !strings.Contains(err.Error(), "bin target with the name `app`") {
		t.Errorf("Validate without bins: %v", err)
	}
}

func TestReadWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "directives.json")
	if err := own.Output.Write(path); err != nil {
		t.Fatal(err)
	}
	got, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, own.Output) {
		t.Errorf("Read(Write(o))\n got %+v\nwant %+v", got, own.Output)
	}
	if _, err := Read(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("Read of a missing file succeeded")
	}
}
