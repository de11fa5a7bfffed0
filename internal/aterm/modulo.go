package aterm

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"
)

// drvType is Nix's DerivationType as far as hashing cares (BasicDerivation::type).
type drvType int

const (
	// inputAddressed outputs all carry a path, or all are deferred ("" everywhere:
	// not computed yet, or depending on a content-addressed input).
	inputAddressed drvType = iota
	// fixed is one output "out" with hash algorithm and hash given.
	fixed
	// floating outputs all have a hash algorithm and no hash: known after building.
	floating
)

// typeOf classifies d the way Nix's ATerm reader reads its outputs
// (path, hashAlgo, hash): a hash algorithm with a hash is fixed, without one
// floating, neither is input-addressed (deferred if the path is empty too).
func typeOf(d *nixdrv.Derivation) (drvType, error) {
	if len(d.Outputs) == 0 {
		return 0, errors.New("derivation must have at least one output")
	}
	var ia, deferred, fix, float []string
	for _, name := range sortedKeys(d.Outputs) {
		o := d.Outputs[name]
		switch {
		case o == nil || o.HashAlgorithm == "" && o.Path == "":
			deferred = append(deferred, name)
		case o.HashAlgorithm == "":
			ia = append(ia, name)
		case o.Hash == "impure":
			return 0, fmt.Errorf("output %s: impure derivations are not supported", name)
		case o.Hash != "":
			fix = append(fix, name)
		default:
			float = append(float, name)
		}
	}
	n := len(d.Outputs)
	switch {
	case len(ia) == n || len(deferred) == n:
		return inputAddressed, nil
	case len(float) == n:
		return floating, nil
	case len(fix) == 1 && n == 1 && fix[0] == "out":
		return fixed, nil
	case len(fix) == n:
		return 0, errors.New(`a fixed-output derivation must have exactly one output, named "out"`)
	}
	return 0, fmt.Errorf("can't mix derivation output types (input-addressed %v, deferred %v, fixed %v, floating %v)", ia, deferred, fix, float)
}

// HashModulo is Nix's hashDerivationModulo(drv, maskOutputs=false) in lower-case
// hex: what a dependent's output paths hash in place of this derivation's .drv
// path (derivations.cc, pathDerivationModulo). It is defined here for
// input-addressed and fixed-output derivations.
//
//   - Input-addressed: the SHA-256 of d's ATerm, output paths and environment
//     left as they are (NOT masked: that is OutputPaths' hash), with each input
//     .drv path replaced by its own HashModulo.
//   - Fixed-output: sha256("fixed:out:<hashAlgo>:<hash>:<output path>"), whatever
//     its inputs, so dependents don't change when a fetcher's recipe does.
//
// inputs maps every key of d.InputDerivations to that input's HashModulo; the
// caller computes them with this function in dependency order and keeps the map.
// Floating content-addressed derivations are refused: their dependents' output
// paths are deferred, so nothing needs their hash.
func HashModulo(d *nixdrv.Derivation, inputs map[string]string) (string, error) {
	typ, err := typeOf(d)
	if err != nil {
		return "", err
	}
	switch typ {
	case floating:
		return "", errors.New("hash modulo of a floating content-addressed derivation is not supported: dependents' outputs are deferred")
	case fixed:
		o := d.Outputs["out"]
		path, err := fixedOutputPath(o, d.Env["name"])
		if err != nil {
			return "", err
		}
		sum := sha256.Sum256([]byte("fixed:out:" + o.HashAlgorithm + ":" + o.Hash + ":" + path))
		return hex.EncodeToString(sum[:]), nil
	}
	sum, err := hashModulo(d, inputs, false)
	return hex.EncodeToString(sum), err
}

// hashModulo hashes d's ATerm with inputs replaced by their hashes modulo,
// masked or not.
func hashModulo(d *nixdrv.Derivation, inputs map[string]string, mask bool) ([]byte, error) {
	repl := map[string][]string{}
	for p, outs := range d.InputDerivations {
		h, ok := inputs[p]
		if !ok {
			return nil, fmt.Errorf("no hash modulo given for input derivation %s", p)
		}
		if b, err := hex.DecodeString(h); err != nil || len(b) != sha256.Size || h != hex.EncodeToString(b) {
			return nil, fmt.Errorf("hash modulo %q of input derivation %s is not a lower-case hex SHA-256", h, p)
		}
		// Two inputs with one hash (two recipes for one fixed output) merge, as in
		// Nix's map from hash to output names.
		repl[h] = append(repl[h], outs...)
	}
	h := sha256.New()
	if err := write(h, d, mask, repl); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// OutputPaths returns the output paths of d by output name, as Nix checks them
// when the derivation is added (derivations.cc, checkInvariants).
//
//   - Input-addressed (outputs' paths empty or already filled in): for each output
//     o, makeOutputPath: makeStorePath("output:"+o, h, name[-o]) where h is
//     hashDerivationModulo(drv, maskOutputs=true), the SHA-256 of the ATerm with
//     every output path and every env variable named after an output written
//     empty, and each input .drv path replaced by its HashModulo (inputs, as for
//     HashModulo). The caller then writes the paths into Outputs[o].Path and
//     Env[o]; that doesn't change them.
//   - Fixed-output: makeFixedOutputPath of its hash (inputs are not needed).
//   - Floating content-addressed: an error, their paths are known after building.
//
// The contract the caller keeps: no input is floating content-addressed, or
// depends on one (Nix would defer d's outputs: leave them empty instead).
func OutputPaths(d *nixdrv.Derivation, inputs map[string]string) (map[string]string, error) {
	typ, err := typeOf(d)
	if err != nil {
		return nil, err
	}
	name := d.Env["name"]
	if name == "" {
		return nil, errors.New("derivation has no name (env name)")
	}
	switch typ {
	case floating:
		return nil, errors.New("output paths of a floating content-addressed derivation are known only after it is built")
	case fixed:
		path, err := fixedOutputPath(d.Outputs["out"], name)
		if err != nil {
			return nil, err
		}
		return map[string]string{"out": path}, nil
	}
	sum, err := hashModulo(d, inputs, true)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for o := range d.Outputs {
		pathName := outputPathName(name, o)
		if err := checkName(pathName); err != nil {
			return nil, fmt.Errorf("output %s: %w", o, err)
		}
		out[o] = makeStorePath("output:"+o, sum, pathName)
	}
	return out, nil
}
