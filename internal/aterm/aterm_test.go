package aterm

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/drvjson"
)

func TestPlaceholder(t *testing.T) {
	if got, want := Placeholder("out"), "/1rz4g4znpzjwh1xymhjpm42vipw92pr73vdgl6xs1hycac8kf2n9"; got != want {
		t.Errorf("Placeholder(out) = %s, want %s", got, want)
	}
}

func TestEscaping(t *testing.T) {
	d := &nixdrv.Derivation{
		Outputs:   map[string]*nixdrv.Output{"out": {Path: "/nix/store/x-a"}},
		Platform:  "x86_64-linux",
		Builder:   "/bin/sh",
		Arguments: []string{"q\"b\\s\nn\rr\tt"},
		Env:       map[string]string{"k\"ey": "v\\al"},
	}
	want := `Derive([("out","/nix/store/x-a","","")],[],[],"x86_64-linux","/bin/sh",["q\"b\\s\nn\rr\tt"],[("k\"ey","v\\al")])`
	if got := string(Bytes(d)); got != want {
		t.Errorf("ATerm\n got %s\nwant %s", got, want)
	}
}

// requireNix skips without nix, except in CI, where the oracle tests must run.
func requireNix(t *testing.T) string {
	t.Helper()
	nix, err := exec.LookPath("nix")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("nix is not on PATH; CI must run the Nix oracle tests")
		}
		t.Skip("nix is not on PATH")
	}
	return nix
}

func nixRun(t *testing.T, stdin []byte, args ...string) string {
	t.Helper()
	cmd := exec.Command("nix", append([]string{"--extra-experimental-features", "nix-command ca-derivations"}, args...)...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("nix %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

// Nix is the oracle: every path DrvPath and OutputPaths compute must be the one
// `nix derivation add` registers, for strings that need escaping too.
func TestPathsEqualNix(t *testing.T) {
	requireNix(t)
	v, err := drvjson.ParseVersion(nixRun(t, nil, "--version"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	srcFile := dir + "/input with \"quote\""
	if err := os.WriteFile(srcFile, []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := nixRun(t, nil, "store", "add-path", "--name", "aterm-test-src", srcFile)
	hostile := "a \"quoted\" back\\slash\nnew line\ttab\rcr ünïcödé $out ${x}"

	add := func(d *nixdrv.Derivation) string {
		t.Helper()
		want, err := DrvPath(d)
		if err != nil {
			t.Fatal(err)
		}
		js, err := drvjson.Encode(d, v)
		if err != nil {
			t.Fatal(err)
		}
		if got := nixRun(t, js, "derivation", "add"); got != want {
			t.Fatalf("nix registered %s, DrvPath computed %s\nATerm: %s", got, want, Bytes(d))
		}
		return want
	}

	// Content-addressed, with a source input and hostile strings everywhere.
	ca := &nixdrv.Derivation{
		Outputs:          map[string]*nixdrv.Output{"out": {HashAlgorithm: "r:sha256"}},
		InputSources:     []string{src},
		InputDerivations: map[string][]string{},
		Platform:         "x86_64-linux",
		Builder:          "/bin/sh",
		Arguments:        []string{"-c", hostile},
		Env:              map[string]string{"name": "aterm-ca", "out": Placeholder("out"), "weird\tkey\"": hostile},
	}
	caPath := add(ca)

	// A CA derivation depending on another through its upstream placeholder.
	ca2 := &nixdrv.Derivation{
		Outputs:          map[string]*nixdrv.Output{"out": {HashAlgorithm: "r:sha256"}},
		InputSources:     []string{},
		InputDerivations: map[string][]string{caPath: {"out"}},
		Platform:         "x86_64-linux",
		Builder:          "/bin/sh",
		Arguments:        []string{UpstreamPlaceholder(caPath, "out")},
		Env:              map[string]string{"name": "aterm-ca2", "out": Placeholder("out")},
	}
	add(ca2)

	// Input-addressed chain: Nix rejects wrong output paths, so acceptance proves OutputPaths.
	ia := func(name string, inputs map[string]string) (*nixdrv.Derivation, string) {
		d := &nixdrv.Derivation{
			Outputs:          map[string]*nixdrv.Output{"out": {}},
			InputSources:     []string{src},
			InputDerivations: map[string][]string{},
			Platform:         "x86_64-linux",
			Builder:          "/bin/sh",
			Arguments:        []string{hostile},
			Env:              map[string]string{"name": name, "out": "", "v": hostile},
		}
		for p := range inputs {
			d.InputDerivations[p] = []string{"out"}
		}
		outs, err := OutputPaths(d, inputs)
		if err != nil {
			t.Fatal(err)
		}
		d.Outputs["out"].Path, d.Env["out"] = outs["out"], outs["out"]
		path := add(d)
		hm, err := HashModulo(d, inputs)
		if err != nil {
			t.Fatal(err)
		}
		return d, path + "=" + hm
	}
	_, first := ia("aterm-ia", map[string]string{})
	p, hm, _ := strings.Cut(first, "=")
	ia("aterm-ia2", map[string]string{p: hm})
}
