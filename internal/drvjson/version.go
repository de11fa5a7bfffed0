package drvjson

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Version is the version of the Nix that reads the JSON.
type Version struct {
	Major, Minor, Patch int
	// Lix is set for Lix, a fork of Nix 2.18 numbered from 2.90, which reads
	// Nix 2.18's JSON whatever its own number says.
	Lix bool
}

func (v Version) String() string {
	s := fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
	if v.Lix {
		return "Lix " + s
	}
	return s
}

func (v Version) atLeast(major, minor int) bool {
	return v.Major > major || (v.Major == major && v.Minor >= minor)
}

// format is a derivation JSON format, named by the first Nix release reading it.
type format int

const (
	format218 format = iota // inputDrvs {"outputs","dynamicOutputs"}, hashAlgo "r:sha256"
	format223               // "method" and "hashAlgo" apart
	format232               // "version": 3, store path basenames, fixed outputs without "path"
	format233               // "version": 4, "inputs": {"srcs","drvs"}, fixed hashes in SRI
)

func (v Version) format() format {
	switch {
	case v.Lix:
		return format218
	case v.atLeast(2, 33):
		return format233
	case v.atLeast(2, 32):
		return format232
	case v.atLeast(2, 23):
		return format223
	}
	return format218
}

var versionRe = regexp.MustCompile(`(\d+)\.(\d+)(?:\.(\d+))?`)

// ParseVersion reads the first line of `nix --version`: "nix (Nix) 2.26.3",
// "nix (Lix, like Nix) 2.91.1", "nix (Determinate Nix 3.8.2) 2.30.2" (the last
// number is Nix's). Versions before 2.18 are refused: their `nix derivation add`
// reads another JSON.
func ParseVersion(s string) (Version, error) {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	all := versionRe.FindAllStringSubmatch(line, -1)
	if all == nil {
		return Version{}, fmt.Errorf("cannot read a Nix version from %q", line)
	}
	m := all[len(all)-1]
	var v Version
	v.Major, _ = strconv.Atoi(m[1])
	v.Minor, _ = strconv.Atoi(m[2])
	v.Patch, _ = strconv.Atoi(m[3])
	v.Lix = strings.Contains(line, "Lix")
	if !v.atLeast(2, 18) {
		return v, fmt.Errorf("found Nix %s; cargo-nix-unit needs Nix 2.18 or newer", v)
	}
	return v, nil
}
