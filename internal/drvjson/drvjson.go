package drvjson

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"
)

const storePrefix = "/nix/store/"

// Encode returns d as the JSON `nix derivation add` of version v reads
// (libstore/derivations.cc, Derivation::fromJSON; from 2.33 the
// adl_serializer<Derivation>):
//
//	2.18–2.22  absolute paths; inputDrvs {p: {"outputs":[…],"dynamicOutputs":{}}};
//	           floating {"hashAlgo":"r:sha256"}; fixed {"path","hashAlgo","hash":hex}
//	2.23–2.31  floating {"method":"nar","hashAlgo":"sha256"};
//	           fixed {"path","method","hashAlgo","hash":hex}
//	2.32       "version":3; store paths as basenames; fixed without "path"
//	2.33+      "version":4; "inputs":{"srcs":[…],"drvs":{…}};
//	           fixed {"method","hash":"sha256-<base64>"}
//
// Input-addressed outputs are {"path"}, deferred ones (no path) {} in every
// version; environment values stay as they are (absolute paths). "name" is
// d.Env["name"]. Lix reads the 2.18 format. Nix matches output objects by their
// exact key set, so every output of d must be one of these kinds.
func Encode(d *nixdrv.Derivation, v Version) ([]byte, error) {
	name := d.Env["name"]
	if name == "" {
		return nil, errors.New("derivation has no name (env name)")
	}
	if s, ok := invalidUTF8(d); ok {
		return nil, fmt.Errorf("derivation %s: %q is not UTF-8, which JSON cannot carry", name, s)
	}
	f := v.format()
	path := func(p string) string {
		if f >= format232 {
			return strings.TrimPrefix(p, storePrefix)
		}
		return p
	}
	outputs := map[string]any{}
	for o, out := range d.Outputs {
		js, err := output(out, f, path)
		if err != nil {
			return nil, fmt.Errorf("derivation %s: output %s: %w", name, o, err)
		}
		outputs[o] = js
	}
	srcs := []string{}
	for _, s := range d.InputSources {
		srcs = append(srcs, path(s))
	}
	slices.Sort(srcs)
	srcs = slices.Compact(srcs)
	drvs := map[string]any{}
	for p, outs := range d.InputDerivations {
		outs = slices.Clone(outs)
		slices.Sort(outs)
		drvs[path(p)] = map[string]any{"outputs": slices.Compact(outs), "dynamicOutputs": map[string]any{}}
	}
	args, env := d.Arguments, d.Env
	if args == nil {
		args = []string{}
	}
	doc := map[string]any{
		"name":    name,
		"outputs": outputs,
		"system":  d.Platform,
		"builder": d.Builder,
		"args":    args,
		"env":     env,
	}
	switch f {
	case format233:
		doc["version"] = 4
		doc["inputs"] = map[string]any{"srcs": srcs, "drvs": drvs}
	case format232:
		doc["version"] = 3
		fallthrough
	default:
		doc["inputSrcs"] = srcs
		doc["inputDrvs"] = drvs
	}
	return json.Marshal(doc)
}

// output is one output's JSON object in format f (DerivationOutput::fromJSON).
func output(o *nixdrv.Output, f format, path func(string) string) (map[string]string, error) {
	if o == nil {
		o = &nixdrv.Output{}
	}
	switch {
	case o.HashAlgorithm == "" && o.Path == "": // deferred
		return map[string]string{}, nil
	case o.HashAlgorithm == "": // input-addressed
		return map[string]string{"path": path(o.Path)}, nil
	case o.Hash == "impure":
		return nil, errors.New("impure outputs are not supported")
	}
	method, algo := splitMethod(o.HashAlgorithm)
	if o.Hash == "" { // floating
		if f == format218 {
			return map[string]string{"hashAlgo": o.HashAlgorithm}, nil
		}
		return map[string]string{"method": method, "hashAlgo": algo}, nil
	}
	switch f { // fixed
	case format218:
		if o.Path == "" {
			return nil, errors.New("fixed output without its path (Nix before 2.32 checks it)")
		}
		return map[string]string{"path": o.Path, "hashAlgo": o.HashAlgorithm, "hash": o.Hash}, nil
	case format223:
		if o.Path == "" {
			return nil, errors.New("fixed output without its path (Nix before 2.32 checks it)")
		}
		return map[string]string{"path": o.Path, "method": method, "hashAlgo": algo, "hash": o.Hash}, nil
	case format232:
		return map[string]string{"method": method, "hashAlgo": algo, "hash": o.Hash}, nil
	}
	digest, err := hex.DecodeString(o.Hash)
	if err != nil {
		return nil, fmt.Errorf("fixed output hash %q is not hex", o.Hash)
	}
	return map[string]string{"method": method, "hash": algo + "-" + base64.StdEncoding.EncodeToString(digest)}, nil
}

// splitMethod splits an ATerm hash algorithm ("r:sha256") into the JSON method
// and algorithm ("nar", "sha256") (ContentAddressMethod::parsePrefix, render).
func splitMethod(hashAlgo string) (method, algo string) {
	for _, m := range []struct{ prefix, method string }{{"r:", "nar"}, {"text:", "text"}, {"git:", "git"}} {
		if rest, ok := strings.CutPrefix(hashAlgo, m.prefix); ok {
			return m.method, rest
		}
	}
	return "flat", hashAlgo
}

// invalidUTF8 returns a string of d that JSON would not carry unchanged
// (encoding/json replaces invalid bytes with U+FFFD; the ATerm keeps them).
func invalidUTF8(d *nixdrv.Derivation) (string, bool) {
	all := []string{d.Platform, d.Builder}
	all = append(all, d.Arguments...)
	all = append(all, d.InputSources...)
	for k, v := range d.Env {
		all = append(all, k, v)
	}
	for p, outs := range d.InputDerivations {
		all = append(append(all, p), outs...)
	}
	for name, o := range d.Outputs {
		if o != nil {
			all = append(all, name, o.Path, o.HashAlgorithm, o.Hash)
		}
	}
	for _, s := range all {
		if !utf8.ValidString(s) {
			return s, true
		}
	}
	return "", false
}
