package buildscript

import (
	"reflect"
	"strings"
	"testing"
)

var appTargets = []TargetInfo{
	{Kind: "lib", Name: "my-app", CrateTypes: []string{"cdylib", "rlib"}},
	{Kind: "bin", Name: "app"},
	{Kind: "test", Name: "it"},
	{Kind: "bench", Name: "b"},
	{Kind: "example", Name: "ex", CrateTypes: []string{"bin"}},
	{Kind: "custom-build", Name: "build-script-build"},
}

func TestParseDirectives(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     Output
	}{
		{"rustc-link-search", "cargo::rustc-link-search=native=/a\ncargo:rustc-link-search=/b", Output{LinkSearch: []string{"native=/a", "/b"}}},
		{"rustc-link-lib", "cargo::rustc-link-lib=static=z\ncargo:rustc-link-lib=ssl", Output{LinkLibs: []string{"static=z", "ssl"}}},
		{"rustc-flags spaced and attached", "cargo:rustc-flags=-l ssl -L/usr/lib -Lnative=/x  -lstatic=z", Output{
			LinkLibs: []string{"ssl", "static=z"}, LinkSearch: []string{"/usr/lib", "native=/x"}}},
		{"rustc-flags other white space", "cargo::rustc-flags=-l\ta\u3000-L\u00a0b", Output{LinkLibs: []string{"a"}, LinkSearch: []string{"b"}}},
		{"rustc-flags -link is -l ink", "cargo:rustc-flags=-link", Output{LinkLibs: []string{"ink"}}},
		{"rustc-flags empty", "cargo:rustc-flags=", Output{}},
		{"rustc-link-arg", "cargo::rustc-link-arg=-Wl,-z,now", Output{LinkArgs: []LinkArg{{"", "-Wl,-z,now"}}}},
		{"rustc-link-arg-bin", "cargo::rustc-link-arg-bin=app=-x=y", Output{LinkArgs: []LinkArg{{"bin=app", "-x=y"}}}},
		{"rustc-link-arg-bins", "cargo:rustc-link-arg-bins=-b", Output{LinkArgs: []LinkArg{{"bins", "-b"}}}},
		{"rustc-link-arg-tests", "cargo::rustc-link-arg-tests=-t", Output{LinkArgs: []LinkArg{{"tests", "-t"}}}},
		{"rustc-link-arg-benches", "cargo::rustc-link-arg-benches=-be", Output{LinkArgs: []LinkArg{{"benches", "-be"}}}},
		{"rustc-link-arg-examples", "cargo::rustc-link-arg-examples=-e", Output{LinkArgs: []LinkArg{{"examples", "-e"}}}},
		{"rustc-link-arg-cdylib and alias", "cargo::rustc-link-arg-cdylib=-c\ncargo:rustc-cdylib-link-arg=-d", Output{LinkArgs: []LinkArg{{"cdylib", "-c"}, {"cdylib", "-d"}}}},
		{"rustc-cfg", "cargo::rustc-cfg=has_foo\ncargo:rustc-cfg=feature=\"x\"", Output{Cfgs: []string{"has_foo", `feature="x"`}}},
		{"rustc-check-cfg", "cargo::rustc-check-cfg=cfg(has_foo)", Output{CheckCfgs: []string{"cfg(has_foo)"}}},
		{"rustc-env keeps = in value and leading space", "cargo::rustc-env=KEY= a=b\u3000", Output{Env: []EnvVar{{"KEY", " a=b"}}}},
		{"rustc-env empty value", "cargo::rustc-env=K=", Output{Env: []EnvVar{{"K", ""}}}},
		{"warning", "cargo::warning=careful \ncargo:warning=old", Output{Warnings: []string{"careful", "old"}}},
		{"error with leading white space is not fatal", "  cargo::error=bad", Output{Errors: []string{"bad"}}},
		{"rerun-if-changed", "cargo::rerun-if-changed=build.rs\ncargo:rerun-if-changed=src/x.c", Output{RerunIfChanged: []string{"build.rs", "src/x.c"}}},
		{"rerun-if-env-changed", "cargo::rerun-if-env-changed=CC", Output{RerunIfEnvChanged: []string{"CC"}}},
		{"metadata", "cargo::metadata=include=/out/include  \ncargo::metadata==empty-key", Output{Metadata: []EnvVar{{"include", "/out/include"}, {"", "empty-key"}}}},
		{"legacy unknown key is metadata", "cargo:root=/out\ncargo:Root=x=y\ncargo:=v", Output{Metadata: []EnvVar{{"root", "/out"}, {"Root", "x=y"}, {"", "v"}}}},
		{"legacy error and metadata keys are metadata", "cargo:error=e\ncargo:metadata=k=v", Output{Metadata: []EnvVar{{"error", "e"}, {"metadata", "k=v"}}}},
		{"legacy key without reserved `=` form is metadata", "cargo:rustc-cfgx=1", Output{Metadata: []EnvVar{{"rustc-cfgx", "1"}}}},
		{"lines are trimmed at both ends, \\r included", "  \tcargo::rustc-cfg=a\r\n\u00a0cargo:rustc-cfg=b \r", Output{Cfgs: []string{"a", "b"}}},
		{"values keep leading white space", "cargo::rustc-cfg= a", Output{Cfgs: []string{" a"}}},
		{"other lines are ignored", "hello\ncargo\nCARGO:rustc-cfg=x\n cargo-ish=1\n\n", Output{}},
		{"invalid UTF-8 lines are skipped", "cargo::rustc-cfg=a\xff\ncargo::rustc-cfg=b\n\xc3", Output{Cfgs: []string{"b"}}},
		{"invalid UTF-8 skips even bad directives", "cargo::nonsense\xff", Output{}},
		{"last line without newline", "cargo::rustc-cfg=a", Output{Cfgs: []string{"a"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tc.in), Options{PackageName: "p", Targets: appTargets})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*got, tc.want) {
				t.Errorf("Parse(%q)\n got %+v\nwant %+v", tc.in, *got, tc.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		line    string
		opts    Options
		wantErr string
	}{
		{"cargo::frobnicate=1", Options{}, "unknown key `frobnicate`"},
		{"cargo::=x", Options{}, "unknown key ``"},
		{"cargo::rustc-cfg", Options{}, "`cargo::KEY=VALUE` with an `=` character"},
		{"cargo::metadata=novalue", Options{}, "`cargo::metadata=KEY=VALUE` with an `=` character"},
		{"cargo:foo", Options{}, "`cargo:KEY=VALUE` with an `=` character"},
		{"cargo:rustc-cfg", Options{}, "`cargo:KEY=VALUE` with an `=` character"},
		{"cargo::rustc-cfg=x", Options{RustVersion: "1.70"}, "added in Rust 1.77.0, but the minimum supported Rust version of `p` is 1.70\nswitch to the old `cargo:rustc-cfg=x` syntax"},
		{"cargo::metadata=k=v", Options{RustVersion: "1.76.9"}, "switch to the old `cargo:k=v` syntax instead of `cargo::metadata=k=v`"},
		{"cargo::frob", Options{RustVersion: "1.60"}, "added in Rust 1.77.0"},
		{"cargo::rustc-cfg=x", Options{RustVersion: "1"}, "added in Rust 1.77.0"},
		{"cargo::rustc-cfg=x", Options{RustVersion: "2"}, "added in Rust 1.77.0"},
		{"cargo:rustc-flags=-O", Options{}, "only `-l` and `-L` flags are allowed in rustc-flags: `-O`"},
		{"cargo:rustc-flags=-lz --cfg x", Options{}, "only `-l` and `-L` flags"},
		{"cargo:rustc-flags=-l", Options{}, "flag `-l` in rustc-flags has no value"},
		{"cargo:rustc-flags=-lz -L  ", Options{}, "flag `-L` in rustc-flags has no value"},
		{"cargo::rustc-env=NOEQ", Options{}, "variable rustc-env has no value: NOEQ"},
		{"cargo:rustc-env=RUSTC_BOOTSTRAP=1", Options{}, "cannot set `RUSTC_BOOTSTRAP=1`"},
		{"cargo::rustc-env=RUSTC_BOOTSTRAP=1", Options{Targets: appTargets, RustcBootstrap: "other"}, "`RUSTC_BOOTSTRAP=my_app` before running cargo"},
		{"cargo::rustc-link-arg-bin=app", Options{}, "should have the form cargo::rustc-link-arg-bin=BIN=ARG"},
		{"cargo::rustc-link-arg-bin==x", Options{}, "does not have a bin target with the name ``"},
		{"cargo::rustc-link-arg-bin=nobin=-x", Options{Targets: appTargets}, "does not have a bin target with the name `nobin`"},
		{"cargo::rustc-link-arg-bins=-x", Options{Targets: appTargets[:1]}, "does not have a bin target"},
		{"cargo::rustc-link-arg-tests=-x", Options{Targets: appTargets[:1]}, "does not have a test target"},
		{"cargo::rustc-link-arg-benches=-x", Options{Targets: appTargets[:1]}, "does not have a benchmark target"},
		{"cargo::rustc-link-arg-examples=-x", Options{Targets: appTargets[:1]}, "does not have an example target"},
	} {
		tc.opts.PackageName = "p"
		_, err := Parse(strings.NewReader("ok\n"+tc.line+"\ncargo::rustc-cfg=later\n"), tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "line 2: `"+strings.TrimSpace(tc.line)+"`: ") {
			t.Errorf("%q: error %v\nwant one starting with line 2 and the line, containing %q", tc.line, err, tc.wantErr)
		}
	}
}

func TestParseAccepts(t *testing.T) {
	bootstrapWarning := "cannot set `RUSTC_BOOTSTRAP=1` from build script of `p`.\nnote: crates cannot set `RUSTC_BOOTSTRAP` themselves, as doing so would subvert the stability guarantees of Rust for your project."
	for _, tc := range []struct {
		name, line string
		opts       Options
		want       Output
	}{
		{"rust-version 1.77", "cargo::rustc-cfg=x", Options{RustVersion: "1.77"}, Output{Cfgs: []string{"x"}}},
		{"rust-version 1.77.0", "cargo::rustc-cfg=x", Options{RustVersion: "1.77.0"}, Output{Cfgs: []string{"x"}}},
		{"rust-version 1.85.1", "cargo::rustc-cfg=x", Options{RustVersion: "1.85.1"}, Output{Cfgs: []string{"x"}}},
		{"old syntax with old rust-version", "cargo:rustc-cfg=x", Options{RustVersion: "1.30"}, Output{Cfgs: []string{"x"}}},
		{"RUSTC_BOOTSTRAP on nightly is a warning", "cargo::rustc-env=RUSTC_BOOTSTRAP=1", Options{Nightly: true}, Output{Warnings: []string{bootstrapWarning}}},
		{"RUSTC_BOOTSTRAP=1 for cargo is a warning", "cargo::rustc-env=RUSTC_BOOTSTRAP=1", Options{RustcBootstrap: "1"}, Output{Warnings: []string{bootstrapWarning}}},
		{"RUSTC_BOOTSTRAP listing the lib is a warning", "cargo::rustc-env=RUSTC_BOOTSTRAP=1", Options{RustcBootstrap: "a,my_app", Targets: appTargets}, Output{Warnings: []string{bootstrapWarning}}},
		{"cdylib args without a cdylib warn", "cargo::rustc-link-arg-cdylib=-c", Options{Targets: appTargets[1:]}, Output{
			LinkArgs: []LinkArg{{"cdylib", "-c"}},
			Warnings: []string{"cargo::rustc-link-arg-cdylib was specified in the build script of p, but that package does not contain a cdylib target\n\n" +
				"Allowing this was an unintended change in the 1.50 release, and may become an error in the future. For more information, see <https://github.com/rust-lang/cargo/issues/9562>."}}},
		{"cdylib args without targets do not warn", "cargo:rustc-cdylib-link-arg=-c", Options{}, Output{LinkArgs: []LinkArg{{"cdylib", "-c"}}}},
		{"unchecked link args without targets", "cargo::rustc-link-arg-bin=x=-y", Options{}, Output{LinkArgs: []LinkArg{{"bin=x", "-y"}}}},
	} {
		tc.opts.PackageName = "p"
		got, err := Parse(strings.NewReader(tc.line), tc.opts)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
		} else if !reflect.DeepEqual(*got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, *got, tc.want)
		}
	}
}

// A line starting exactly with `cargo::error=` fails the run; Cargo then keeps only
// the messages it saw while streaming and parses nothing.
func TestParseFail(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     Output
	}{
		{"error, bad line after", "cargo::warning=w \ncargo::error=x\r\ncargo::frob=1\n", Output{Warnings: []string{"w "}, Errors: []string{"x"}, Fail: true}},
		{"bad line before", "cargo::frob=1\ncargo:warning=old\ncargo::error=e1\ncargo::error= e2 ", Output{Warnings: []string{"old"}, Errors: []string{"e1", " e2 "}, Fail: true}},
		{"msrv is not checked", "cargo::error=x", Output{Errors: []string{"x"}, Fail: true}},
		{"lossy UTF-8", "cargo::error=\xffbad\xe2\x82z\xf0\x9f\x98\x80\xed\xa0\x80", Output{Errors: []string{"\ufffdbad\ufffdz\U0001F600\ufffd\ufffd\ufffd"}, Fail: true}},
		{"\r kept on an unterminated last line", "cargo::error=x\r", Output{Errors: []string{"x\r"}, Fail: true}},
	} {
		got, err := Parse(strings.NewReader(tc.in), Options{PackageName: "p", RustVersion: "1.60"})
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
		} else if !reflect.DeepEqual(*got, tc.want) {
			t.Errorf("%s:\n got %#v\nwant %#v", tc.name, *got, tc.want)
		}
	}
}

func TestParseLongOutput(t *testing.T) {
	long := strings.Repeat("x", 1<<20)
	in := "cargo::rustc-cfg=" + long + "\n" + strings.Repeat("noise\n", 100000) + "cargo::rustc-env=K=" + long
	got, err := Parse(strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Cfgs) != 1 || got.Cfgs[0] != long || len(got.Env) != 1 || got.Env[0].Value != long {
		t.Errorf("long lines lost")
	}
	_, err = Parse(strings.NewReader(in+"\ncargo::nope=1"), Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "line 100003: ") {
		t.Errorf("error %v, want it on line 100003", err)
	}
}

func TestParseInvalidRustVersion(t *testing.T) {
	for _, v := range []string{"x", "1.", "1.2.3.4", "01.2", "1.77-beta", " 1.77"} {
		if _, err := Parse(strings.NewReader(""), Options{RustVersion: v}); err == nil || !strings.Contains(err.Error(), "invalid rust-version") {
			t.Errorf("rust-version %q: error %v", v, err)
		}
	}
}

func TestLossyUTF8(t *testing.T) {
	for in, want := range map[string]string{
		"ok":                   "ok",
		"\xff":                 "\ufffd",
		"\xe2\x82":             "\ufffd",
		"\xe2\x82\xe2\x82\xac": "\ufffd\u20ac",
		"\xe0\x80":             "\ufffd\ufffd", // 0x80 cannot follow 0xE0
		"\xf4\x90\x80\x80":     "\ufffd\ufffd\ufffd\ufffd",
		"\xc0\xaf":             "\ufffd\ufffd",
	} {
		if got := lossyUTF8([]byte(in)); got != want {
			t.Errorf("lossyUTF8(%q) = %q, want %q", in, got, want)
		}
	}
}
