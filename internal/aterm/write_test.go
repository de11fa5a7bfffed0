package aterm

import (
	"bufio"
	"bytes"
	"reflect"
	"strings"
	"testing"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"
)

func TestQuoted(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{``, `""`},
		{`plain`, `"plain"`},
		{`say "hi"`, `"say \"hi\""`},
		{`back\slash`, `"back\\slash"`},
		{`\n literal`, `"\\n literal"`},
		{"new\nline", `"new\nline"`},
		{"carriage\rreturn", `"carriage\rreturn"`},
		{"tab\tbed", `"tab\tbed"`},
		{"\"\\\n\r\t", `"\"\\\n\r\t"`},
		{"ünïcödé 🦀", `"ünïcödé 🦀"`},                 // bytes as they are
		{"\x01\x7f\v\f", "\"\x01\x7f\v\f\""},         // other control characters too
		{"$out ${x} (a),[b]", `"$out ${x} (a),[b]"`}, // ATerm punctuation needs nothing
	} {
		var b bytes.Buffer
		w := &writer{w: bufio.NewWriter(&b)}
		w.quoted(tc.in)
		w.w.Flush()
		if b.String() != tc.want {
			t.Errorf("quoted(%q) = %s, want %s", tc.in, b.String(), tc.want)
		}
	}
}

func TestWrite(t *testing.T) {
	d := &nixdrv.Derivation{
		Outputs: map[string]*nixdrv.Output{
			"out": {Path: "/nix/store/x-a"},
			"dev": {Path: "/nix/store/y-a-dev"},
		},
		InputSources: []string{"/nix/store/s2-src", "/nix/store/s1-src", "/nix/store/s2-src"},
		InputDerivations: map[string][]string{
			"/nix/store/b-dep.drv": {"out", "dev", "out"},
			"/nix/store/a-dep.drv": {},
		},
		Platform:  "x86_64-linux",
		Builder:   "/bin/s\"h",
		Arguments: []string{"q\"b\\s\nn\rr\tt", "b", "a"},
		Env:       map[string]string{"k\"ey": "v\\al", "é": "1", "z": "2", "Z": "3", "out": "/nix/store/x-a"},
	}
	want := `Derive([("dev","/nix/store/y-a-dev","",""),("out","/nix/store/x-a","","")],` +
		`[("/nix/store/a-dep.drv",[]),("/nix/store/b-dep.drv",["dev","out"])],` +
		`["/nix/store/s1-src","/nix/store/s2-src"],"x86_64-linux","/bin/s\"h",["q\"b\\s\nn\rr\tt","b","a"],` +
		`[("Z","3"),("k\"ey","v\\al"),("out","/nix/store/x-a"),("z","2"),("é","1")])`
	if got := string(Bytes(d)); got != want {
		t.Errorf("ATerm\n got %s\nwant %s", got, want)
	}

	// Masked, every output has an empty env entry, set or not ("dev" isn't).
	var masked bytes.Buffer
	if err := write(&masked, d, true, map[string][]string{"ff": {"out"}}); err != nil {
		t.Fatal(err)
	}
	wantMasked := `Derive([("dev","","",""),("out","","","")],[("ff",["out"])],` +
		`["/nix/store/s1-src","/nix/store/s2-src"],"x86_64-linux","/bin/s\"h",["q\"b\\s\nn\rr\tt","b","a"],` +
		`[("Z","3"),("dev",""),("k\"ey","v\\al"),("out",""),("z","2"),("é","1")])`
	if masked.String() != wantMasked {
		t.Errorf("masked ATerm\n got %s\nwant %s", masked.String(), wantMasked)
	}
}

// Nix writes the system, store paths and output fields unescaped; a quote or a
// backslash there makes a .drv Nix cannot read back, so Write refuses it.
func TestWriteUnescapedFields(t *testing.T) {
	for _, mutate := range []func(d *nixdrv.Derivation){
		func(d *nixdrv.Derivation) { d.Platform = `x86"64` },
		func(d *nixdrv.Derivation) { d.Platform = `x86\n` },
		func(d *nixdrv.Derivation) { d.InputSources = []string{`/nix/store/a"b`} },
		func(d *nixdrv.Derivation) { d.Outputs["o\"ut"] = &nixdrv.Output{} },
		func(d *nixdrv.Derivation) { d.InputDerivations = map[string][]string{"/nix/store/x.drv": {`o\ut`}} },
	} {
		d := &nixdrv.Derivation{Outputs: map[string]*nixdrv.Output{"out": {}}, Platform: "x", Env: map[string]string{"name": "n"}}
		mutate(d)
		var b bytes.Buffer
		if err := Write(&b, d); err == nil {
			t.Errorf("Write(%s) gave no error", b.String())
		}
		if !bytes.Equal(b.Bytes(), Bytes(d)) || b.Len() == 0 {
			t.Errorf("Write and Bytes differ on an error: %q vs %q", b.String(), Bytes(d))
		}
	}
	d := &nixdrv.Derivation{Outputs: map[string]*nixdrv.Output{"out": {}}, Platform: "x86\t64\nü", Env: map[string]string{"name": "n"}}
	if got, want := string(Bytes(d)), "Derive([(\"out\",\"\",\"\",\"\")],[],[],\"x86\t64\nü\",\"\",[],[(\"name\",\"n\")])"; got != want {
		t.Errorf("raw system: got %q, want %q", got, want)
	}
}

func TestParseRoundTrip(t *testing.T) {
	for _, aterm := range []string{
		`Derive([("out","","r:sha256","")],[],[],"x86_64-linux","/bin/sh",[],[("name","x")])`,
		`Derive([("dev","/nix/store/y-a-dev","",""),("out","/nix/store/x-a","","")],[("/nix/store/a-dep.drv",[]),("/nix/store/b-dep.drv",["dev","out"])],["/nix/store/s1-src"],"x86_64-linux","/bin/s\"h",["q\"b\\s\nn\rr\tt",""],[("k\"ey","v\\al\t"),("é","1")])`,
		`Derive([],[],[],"","",[],[])`,
	} {
		d, err := Parse([]byte(aterm))
		if err != nil {
			t.Fatalf("Parse(%s): %v", aterm, err)
		}
		if got := string(Bytes(d)); got != aterm {
			t.Errorf("round trip\n got %s\nwant %s", got, aterm)
		}
	}
	d, err := Parse([]byte(`Derive([("out","/nix/store/x-a","","")],[],[],"s","/bin/sh",["a\"\\\n\r\t\q"],[("k\t","v\n")])`))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a\"\\\n\r\tq"}; !reflect.DeepEqual(d.Arguments, want) {
		t.Errorf("arguments %q, want %q", d.Arguments, want)
	}
	if want := map[string]string{"k\t": "v\n"}; !reflect.DeepEqual(d.Env, want) {
		t.Errorf("env %q, want %q", d.Env, want)
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{
		``,
		`Derive(`,
		`Derive([],[],[],"","",[],[]) trailing`,
		`Derive([("out","","")],[],[],"","",[],[])`,
		`Derive([],[],[],"unterminated,"",[],[])`,
		`Derive([],[],[],"a\`,
		`Derive([],[("/nix/store/x.drv",)],[],"","",[],[])`,
		`DrvWithVersion("xp-dyn-drv",[],[],[],"","",[],[])`,
	} {
		if d, err := Parse([]byte(in)); err == nil {
			t.Errorf("Parse(%s) = %+v, want an error", in, d)
		} else if !strings.Contains(err.Error(), "deriv") {
			t.Errorf("Parse(%s): error %q does not say what it parsed", in, err)
		}
	}
}
