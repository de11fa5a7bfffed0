package aterm

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"
	"github.com/nix-community/go-nix/pkg/nixbase32"
)

// StoreDir is the only store directory supported.
const StoreDir = "/nix/store"

// makeStorePath is Nix's makeStorePath (libstore/store-api.cc): the SHA-256 of
// "<type>:sha256:<hex>:/nix/store:<name>", XOR-folded to 20 bytes (compressHash),
// in nixbase32. type carries the references for "text" and "source" paths
// ("text:/nix/store/a:/nix/store/b", makeType).
func makeStorePath(typ string, sha256Digest []byte, name string) string {
	fp := sha256.Sum256([]byte(typ + ":sha256:" + hex.EncodeToString(sha256Digest) + ":" + StoreDir + ":" + name))
	var folded [20]byte
	for i, b := range fp {
		folded[i%20] ^= b
	}
	return StoreDir + "/" + nixbase32.EncodeToString(folded[:]) + "-" + name
}

// DrvPath is the .drv path Nix gives d (writeDerivation): a text store path named
// Env["name"] + ".drv" over d's ATerm, whose references are its input sources and
// input derivations.
func DrvPath(d *nixdrv.Derivation) (string, error) {
	if d.Env["name"] == "" {
		return "", errors.New("derivation has no name (env name)")
	}
	name := d.Env["name"] + ".drv"
	if err := checkName(name); err != nil {
		return "", err
	}
	h := sha256.New()
	if err := Write(h, d); err != nil {
		return "", fmt.Errorf("derivation %s: %w", name, err)
	}
	refs := uniqueSorted(append(append([]string(nil), d.InputSources...), sortedKeys(d.InputDerivations)...))
	var typ strings.Builder
	typ.WriteString("text")
	for _, r := range refs {
		typ.WriteString(":")
		typ.WriteString(r)
	}
	return makeStorePath(typ.String(), h.Sum(nil), name), nil
}

// StorePathForSource is the path of a file or tree added by NAR hash with no
// references, as `nix store add-path` adds it: makeStorePath("source", narHash, name).
func StorePathForSource(narSHA256 [32]byte, name string) string {
	return makeStorePath("source", narSHA256[:], name)
}

// StorePathForFlat is the path of a single file added by the SHA-256 of its
// contents, as `nix store add-file` adds it (makeFixedOutputPath, flat method):
// makeStorePath("output:out", sha256("fixed:out:sha256:<hex>:"), name).
func StorePathForFlat(sha256Digest [32]byte, name string) string {
	inner := sha256.Sum256([]byte("fixed:out:sha256:" + hex.EncodeToString(sha256Digest[:]) + ":"))
	return makeStorePath("output:out", inner[:], name)
}

// Placeholder is what a derivation writes for its own output whose path is not
// known yet (hashPlaceholder): "/" + nixbase32(sha256("nix-output:" + output)).
func Placeholder(output string) string {
	h := sha256.Sum256([]byte("nix-output:" + output))
	return "/" + nixbase32.EncodeToString(h[:])
}

// UpstreamPlaceholder is what a derivation writes for output of the
// content-addressed input derivation drvPath (downstream-placeholder.cc,
// DownstreamPlaceholder::unknownCaOutput):
// "/" + nixbase32(sha256("nix-upstream-output:<hash part>:<name>[-<output>]")).
func UpstreamPlaceholder(drvPath, output string) string {
	base := strings.TrimPrefix(drvPath, StoreDir+"/")
	hashPart, name, _ := strings.Cut(base, "-")
	name = strings.TrimSuffix(name, ".drv")
	h := sha256.Sum256([]byte("nix-upstream-output:" + hashPart + ":" + outputPathName(name, output)))
	return "/" + nixbase32.EncodeToString(h[:])
}

// outputPathName is the name of a derivation's output path (derivations.cc):
// the derivation's name, with "-<output>" unless the output is "out".
func outputPathName(drvName, output string) string {
	if output == "out" {
		return drvName
	}
	return drvName + "-" + output
}

// hashSizes are the digest sizes of the algorithms Nix names in fixed outputs.
var hashSizes = map[string]int{"md5": 16, "sha1": 20, "sha256": 32, "sha512": 64}

// fixedOutputPath is the path of a fixed output (makeFixedOutputPath with no
// references): NAR SHA-256 hashes give a "source" path, anything else
// "output:out" over sha256("fixed:out:<r:|>algo:<hex>:").
func fixedOutputPath(o *nixdrv.Output, name string) (string, error) {
	method, algo := "", o.HashAlgorithm
	if rest, ok := strings.CutPrefix(algo, "r:"); ok {
		method, algo = "r:", rest
	}
	size, ok := hashSizes[algo]
	if !ok {
		return "", fmt.Errorf("fixed output hash algorithm %q is not supported (want [r:]md5, sha1, sha256 or sha512)", o.HashAlgorithm)
	}
	digest, err := hex.DecodeString(o.Hash)
	if err != nil || len(digest) != size || o.Hash != strings.ToLower(o.Hash) {
		return "", fmt.Errorf("fixed output hash %q is not %d bytes in lower-case hex", o.Hash, size)
	}
	if method == "r:" && algo == "sha256" {
		return makeStorePath("source", digest, name), nil
	}
	inner := sha256.Sum256([]byte("fixed:out:" + method + algo + ":" + o.Hash + ":"))
	return makeStorePath("output:out", inner[:], name), nil
}

// checkName applies Nix's rules for store path names (libstore/path.cc, checkName).
func checkName(name string) error {
	switch {
	case name == "":
		return errors.New("store path name is empty")
	case len(name) > 211:
		return fmt.Errorf("store path name %q is longer than 211 characters", name)
	case name == "." || name == ".." || strings.HasPrefix(name, ".-") || strings.HasPrefix(name, "..-"):
		return fmt.Errorf("store path name %q is not valid", name)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || strings.IndexByte("+-._?=", c) >= 0) {
			return fmt.Errorf("store path name %q contains illegal character %q", name, c)
		}
	}
	return nil
}
