package derivation

import (
	"encoding/json"
	"os/exec"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testtool"
)

// fixedExpr writes, as the flake does, a .crate's fetch, its unpacking and a
// unit reading the unpacked source, content-addressed and input-addressed;
// it evaluates to their paths and the builder's.
const fixedExpr = `
let
  builder = builtins.toFile "cargo-nix-unit-builder" "x";
  crate = builtins.derivation {
    name = "itoa-1.0.1.crate"; system = "builtin"; builder = "builtin:fetchurl";
    url = "http://127.0.0.1:1/crates/itoa/1.0.1/download";
    outputHashMode = "flat"; outputHashAlgo = "sha256";
    outputHash = "1aab8fc367588b89dcee83ab0fd66b72b50b72fa1904d7095045ace2b0c81c35";
  };
  src = builtins.derivation {
    name = "itoa-1.0.1-source"; system = "x86_64-linux"; inherit builder;
    cargoNixUnitJob = builtins.toJSON { crate = crate.outPath; };
    outputHashMode = "recursive";
    outputHash = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
  };
  unit = ca: builtins.derivation ({ name = "u"; system = "x86_64-linux"; inherit builder; cargoNixUnitJob = "${src}"; }
    // (if ca then { __contentAddressed = true; outputHashMode = "recursive"; outputHashAlgo = "sha256"; } else { }));
in {
  builder = "${builder}";
  crate = crate.drvPath; crateOut = crate.outPath;
  src = src.drvPath; srcOut = src.outPath;
  ca = (unit true).drvPath;
  ia = (unit false).drvPath; iaOut = (unit false).outPath;
}`

// FetchURL and Unpack write the derivations builtins.derivation writes for
// the same attributes, and a unit reading the unpacked source names it as
// Nix does, content-addressed and input-addressed (its output path hashes the
// fixed output's hash, not its recipe).
func TestFixedOutputsAreBuiltinsDerivation(t *testing.T) {
	testtool.Require(t, "nix-instantiate")
	out, err := exec.Command("nix-instantiate", "--eval", "--strict", "--json", "--readonly-mode",
		"--extra-experimental-features", "ca-derivations", "--expr", fixedExpr).Output()
	if err != nil {
		t.Fatalf("nix-instantiate: %v", err)
	}
	var want map[string]string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	crate, err := FetchURL("itoa-1.0.1.crate", "http://127.0.0.1:1/crates/itoa/1.0.1/download",
		"1aab8fc367588b89dcee83ab0fd66b72b50b72fa1904d7095045ace2b0c81c35")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{"builder": want["builder"], "crate": crate.Path, "crateOut": crate.Out}
	for _, ca := range []bool{true, false} {
		w := NewWriter(Options{CA: ca, System: "x86_64-linux", Builder: want["builder"]})
		src, err := w.Unpack("itoa-1.0.1-source", `{"crate":"`+crate.Out+`"}`, "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", []*Drv{crate})
		if err != nil {
			t.Fatal(err)
		}
		got["src"], got["srcOut"] = src.Path, src.Out
		u, err := w.Write("u", src.Ref, nil, []*Drv{src})
		if err != nil {
			t.Fatal(err)
		}
		if ca {
			got["ca"] = u.Path
		} else {
			got["ia"], got["iaOut"] = u.Path, u.Out
		}
	}
	for k, p := range want {
		if got[k] != p {
			t.Errorf("%s: cargo-nix-unit writes %s, Nix %s", k, got[k], p)
		}
	}
}

// Malformed hashes are refused, naming the derivation.
func TestFixedOutputHashes(t *testing.T) {
	if _, err := FetchURL("x.crate", "http://127.0.0.1/x", "ABC"); err == nil {
		t.Error("FetchURL took a hash that is not hex SHA-256")
	}
	w := NewWriter(Options{System: "x86_64-linux", Builder: "/nix/store/00000000000000000000000000000000-builder"})
	if _, err := w.Unpack("x-source", "{}", "sha512-AAAA", nil); err == nil {
		t.Error("Unpack took a hash that is not an SRI SHA-256")
	}
}
