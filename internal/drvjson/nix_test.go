package drvjson

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testtool"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/aterm"
)

// requireNix skips without nix on PATH, except in CI (CI=true), where the oracle
// tests must run and its absence fails the test.
func requireNix(t *testing.T) {
	t.Helper()
	testtool.Require(t, "nix")
}

func nix(t *testing.T, stdin []byte, args ...string) string {
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

// TestEncodeAcceptedByNix registers one derivation of each output kind with the
// installed Nix: it must accept Encode's JSON and register DrvPath's path, and
// `nix derivation show` must print the same JSON back (up to 2.31, what Nix
// prints is what it reads).
func TestEncodeAcceptedByNix(t *testing.T) {
	requireNix(t)
	v, err := ParseVersion(nix(t, nil, "--version"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "src")
	if err := os.WriteFile(file, []byte("drvjson oracle\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := nix(t, nil, "store", "add-file", "--name", "drvjson-src", file)

	// register adds d, first filling in its output paths if they are known.
	register := func(d *nixdrv.Derivation, known bool) string {
		t.Helper()
		if known {
			outs, err := aterm.OutputPaths(d, map[string]string{})
			if err != nil {
				t.Fatal(err)
			}
			for o, p := range outs {
				d.Outputs[o].Path, d.Env[o] = p, p
			}
		}
		want, err := aterm.DrvPath(d)
		if err != nil {
			t.Fatal(err)
		}
		js, err := Encode(d, v)
		if err != nil {
			t.Fatal(err)
		}
		if got := nix(t, js, "derivation", "add"); got != want {
			t.Fatalf("%s: nix registered %s, DrvPath computed %s\nJSON: %s", d.Env["name"], got, want, js)
		}
		if v.format() <= format223 {
			var shown map[string]any
			if err := json.Unmarshal([]byte(nix(t, nil, "derivation", "show", want)), &shown); err != nil {
				t.Fatal(err)
			}
			var ours any
			if err := json.Unmarshal(js, &ours); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(shown[want], ours) {
				t.Errorf("%s: nix derivation show prints\n%v\nEncode wrote\n%v", want, shown[want], ours)
			}
		}
		return want
	}
	drv := func(name string, out nixdrv.Output, deps map[string][]string) *nixdrv.Derivation {
		if deps == nil {
			deps = map[string][]string{}
		}
		return &nixdrv.Derivation{
			Outputs: map[string]*nixdrv.Output{"out": &out}, InputSources: []string{src}, InputDerivations: deps,
			Platform: "x86_64-linux", Builder: "/bin/sh", Arguments: []string{"-c", "say \"hi\"\n\tthere \\ ü"},
			Env: map[string]string{"name": name, "src": src, "q\"uote": "\r\n"},
		}
	}
	digest := sha256.Sum256([]byte("drvjson"))
	h := hex.EncodeToString(digest[:])

	ca := drv("drvjson-ca", nixdrv.Output{HashAlgorithm: "r:sha256"}, nil)
	ca.Env["out"] = aterm.Placeholder("out")
	caPath := register(ca, false)
	deferred := drv("drvjson-deferred", nixdrv.Output{}, map[string][]string{caPath: {"out"}})
	deferred.Env["out"] = aterm.Placeholder("out")
	register(deferred, false)
	register(drv("drvjson-fixed-flat", nixdrv.Output{HashAlgorithm: "sha256", Hash: h}, nil), true)
	register(drv("drvjson-fixed-nar", nixdrv.Output{HashAlgorithm: "r:sha256", Hash: h}, nil), true)
	register(drv("drvjson-fixed-sha1", nixdrv.Output{HashAlgorithm: "r:sha1", Hash: h[:40]}, nil), true)
	register(drv("drvjson-ia", nixdrv.Output{}, nil), true)
}
