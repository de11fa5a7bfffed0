package aterm

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"
	"github.com/nix-community/go-nix/pkg/nixbase32"
)

// StoreDir is the only store directory supported.
const StoreDir = "/nix/store"

// makeStorePath is Nix's makeStorePath (libstore/store-api.cc): the SHA-256 of
// "<type>:sha256:<hex>:/nix/store:<name>", folded to 20 bytes, in nixbase32.
func makeStorePath(typ string, hash []byte, name string) string {
	fp := sha256.Sum256([]byte(typ + ":sha256:" + hex.EncodeToString(hash) + ":" + StoreDir + ":" + name))
	var folded [20]byte
	for i, b := range fp {
		folded[i%20] ^= b
	}
	return StoreDir + "/" + nixbase32.EncodeToString(folded[:]) + "-" + name
}

// DrvPath is the .drv path Nix gives d: a text path over its ATerm whose references
// are its input sources and input derivations.
func DrvPath(d *nixdrv.Derivation) (string, error) {
	name := d.Env["name"]
	if name == "" {
		return "", errors.New("derivation has no name")
	}
	h := sha256.New()
	if err := Write(h, d); err != nil {
		return "", err
	}
	refs := append(sortedCopy(d.InputSources), sortedKeys(d.InputDerivations)...)
	sort.Strings(refs)
	typ := "text"
	for _, r := range refs {
		typ += ":" + r
	}
	return makeStorePath(typ, h.Sum(nil), name+".drv"), nil
}

// StorePathForSource is the path of a tree added by NAR hash with no references
// (`nix store add-path`): makeStorePath("source", narHash, name).
func StorePathForSource(narSHA256 [32]byte, name string) string {
	return makeStorePath("source", narSHA256[:], name)
}

// HashModulo is Nix's hashDerivationModulo of an input-addressed derivation, in hex:
// what dependents hash in place of its .drv path. inputs maps each input .drv path
// to its own HashModulo (the caller computes them in dependency order).
func HashModulo(d *nixdrv.Derivation, inputs map[string]string) (string, error) {
	sum, err := hashModulo(d, inputs, false)
	return hex.EncodeToString(sum), err
}

func hashModulo(d *nixdrv.Derivation, inputs map[string]string, mask bool) ([]byte, error) {
	for _, o := range d.Outputs {
		if o.HashAlgorithm != "" {
			return nil, errors.New("hash modulo of content-addressed derivations is not supported")
		}
	}
	repl := map[string][]string{}
	for p, outs := range d.InputDerivations {
		h, ok := inputs[p]
		if !ok {
			return nil, fmt.Errorf("no hash modulo for input %s", p)
		}
		repl[h] = append(repl[h], outs...)
	}
	for k, outs := range repl {
		repl[k] = uniqueSorted(outs)
	}
	h := sha256.New()
	if err := write(h, d, mask, repl); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// OutputPaths computes the output paths of an input-addressed derivation
// (makeOutputPath over the masked hash modulo); inputs as for HashModulo.
func OutputPaths(d *nixdrv.Derivation, inputs map[string]string) (map[string]string, error) {
	sum, err := hashModulo(d, inputs, true)
	if err != nil {
		return nil, err
	}
	name := d.Env["name"]
	out := map[string]string{}
	for o := range d.Outputs {
		out[o] = makeStorePath("output:"+o, sum, outputPathName(name, o))
	}
	return out, nil
}

func outputPathName(drvName, output string) string {
	if output == "out" {
		return drvName
	}
	return drvName + "-" + output
}

// Placeholder is what a derivation writes for its own output (hashPlaceholder):
// "/" + nixbase32(sha256("nix-output:" + output)).
func Placeholder(output string) string {
	h := sha256.Sum256([]byte("nix-output:" + output))
	return "/" + nixbase32.EncodeToString(h[:])
}

// UpstreamPlaceholder is what a derivation writes for output of the content-addressed
// input derivation drvPath (DownstreamPlaceholder::unknownCaOutput).
func UpstreamPlaceholder(drvPath, output string) string {
	base := strings.TrimPrefix(drvPath, StoreDir+"/")
	hashPart, name, _ := strings.Cut(base, "-")
	name = strings.TrimSuffix(name, ".drv")
	h := sha256.Sum256([]byte("nix-upstream-output:" + hashPart + ":" + outputPathName(name, output)))
	return "/" + nixbase32.EncodeToString(h[:])
}

func uniqueSorted(xs []string) []string {
	xs = sortedCopy(xs)
	out := xs[:0]
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}
