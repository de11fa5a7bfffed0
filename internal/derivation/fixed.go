package derivation

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/aterm"
)

// Fixed-output derivations, written exactly as builtins.derivation writes the
// flake's (nix/build-workspace.nix, crateFile and unpacked): a registry
// crate's source is fetched and unpacked by them on both sides, so a unit
// reading it names the same input derivation from the CLI and from the flake.
// Their outputs are known before they are built, so the CLI can add them to
// the store itself (they are content-addressed by the fixed hash) and Nix
// never runs them.

// FetchURL is Nix's builtin:fetchurl of url whose output, named name, is the
// file with the given SHA-256 (hex): the flat fixed-output derivation of
//
//	builtins.derivation { name; system = "builtin"; builder = "builtin:fetchurl";
//	  url; outputHashMode = "flat"; outputHashAlgo = "sha256"; outputHash = sha256; }
func FetchURL(name, url, sha256 string) (*Drv, error) {
	if b, err := hex.DecodeString(sha256); err != nil || len(b) != 32 || sha256 != strings.ToLower(sha256) {
		return nil, fmt.Errorf("derivation %s: %q is not a lower-case hex SHA-256", name, sha256)
	}
	d := &nixdrv.Derivation{
		Outputs:          map[string]*nixdrv.Output{"out": {HashAlgorithm: "sha256", Hash: sha256}},
		InputDerivations: map[string][]string{},
		InputSources:     []string{},
		Platform:         "builtin",
		Builder:          "builtin:fetchurl",
		Arguments:        []string{},
		Env: map[string]string{
			"name":           name,
			"system":         "builtin",
			"builder":        "builtin:fetchurl",
			"url":            url,
			"outputHashMode": "flat",
			"outputHashAlgo": "sha256",
			"outputHash":     sha256,
		},
	}
	return fixedOutput(name, d)
}

// Unpack is the builder running the job enc in a recursive fixed-output
// derivation named name, whose output's NAR hash is narHash (SRI,
// "sha256-…"): the output path is then the one `nix store add-path` gives
// the same tree under that name. from are the derivations whose outputs the
// job reads; only the builder is an input source (not Options.InputSrcs: no
// toolchain), as in
//
//	builtins.derivation { name; system; builder; cargoNixUnitJob = enc;
//	  outputHashMode = "recursive"; outputHash = narHash; }
func (w *Writer) Unpack(name, enc, narHash string, from []*Drv) (*Drv, error) {
	digest, ok := strings.CutPrefix(narHash, "sha256-")
	raw, err := base64.StdEncoding.DecodeString(digest)
	if !ok || err != nil || len(raw) != 32 {
		return nil, fmt.Errorf("derivation %s: %q is not a SHA-256 in SRI form", name, narHash)
	}
	d := w.skeleton(name, enc)
	d.Outputs["out"] = &nixdrv.Output{HashAlgorithm: "r:sha256", Hash: hex.EncodeToString(raw)}
	d.InputSources = []string{w.opts.Builder}
	d.Env["outputHashMode"] = "recursive"
	d.Env["outputHash"] = narHash
	for _, f := range from {
		d.InputDerivations[f.Path] = []string{"out"}
	}
	return fixedOutput(name, d)
}

// fixedOutput fills in d's output path and computes its .drv path and its
// hash modulo (which dependents' input-addressed outputs hash in its place).
func fixedOutput(name string, d *nixdrv.Derivation) (*Drv, error) {
	outs, err := aterm.OutputPaths(d, nil)
	if err != nil {
		return nil, fmt.Errorf("derivation %s: %w", name, err)
	}
	res := &Drv{Name: name, Drv: d, Out: outs["out"], Ref: outs["out"]}
	d.Outputs["out"].Path = res.Out
	d.Env["out"] = res.Out
	if res.Path, err = aterm.DrvPath(d); err != nil {
		return nil, fmt.Errorf("derivation %s: %w", name, err)
	}
	if res.hashModulo, err = aterm.HashModulo(d, nil); err != nil {
		return nil, fmt.Errorf("derivation %s: %w", name, err)
	}
	return res, nil
}
