package aterm

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"
)

// Write writes d as Nix's ATerm, byte for byte what Nix stores in the .drv file
// (libstore/derivations.cc, Derivation::unparse):
//
//	Derive([outputs],[inputDrvs],[inputSrcs],"system","builder",[args],[env])
//
// Outputs, input derivations and environment are sorted by key (bytewise, as
// std::map), input sources and each input's output names sorted and deduplicated
// (std::set). Builder, arguments and environment keys and values are escaped as
// printString does (\" \\ \n \r \t). Output names and fields, store paths and the
// system are written unescaped, as Nix does (printUnquotedString); Write still
// writes them but returns an error if one holds '"' or '\', since Nix could not
// read such a derivation back.
func Write(w io.Writer, d *nixdrv.Derivation) error {
	return write(w, d, false, nil)
}

// Bytes returns d's ATerm, as Write writes it (even when Write would return an error).
func Bytes(d *nixdrv.Derivation) []byte {
	var b bytes.Buffer
	_ = Write(&b, d)
	return b.Bytes()
}

// write is the one writer: the .drv text, the .drv path and the hashes modulo are
// all computed by writing into it. With mask, output paths and the environment
// variables named after outputs are written empty (hashDerivationModulo's
// maskOutputs), and present even if d.Env lacks them. inputs, when non-nil, is written in place of d.InputDerivations
// (keys are then hash-modulo hex strings).
func write(w io.Writer, d *nixdrv.Derivation, mask bool, inputs map[string][]string) error {
	aw := &writer{w: bufio.NewWriter(w)}
	aw.str("Derive([")
	for i, name := range sortedKeys(d.Outputs) {
		o := d.Outputs[name]
		if o == nil {
			o = &nixdrv.Output{}
		}
		path := o.Path
		if mask {
			path = ""
		}
		aw.sep(i)
		aw.byte('(')
		aw.raw("output name", name)
		aw.byte(',')
		aw.raw("output path", path)
		aw.byte(',')
		aw.raw("output hash algorithm", o.HashAlgorithm)
		aw.byte(',')
		aw.raw("output hash", o.Hash)
		aw.byte(')')
	}
	aw.str("],[")
	if inputs == nil {
		inputs = d.InputDerivations
	}
	for i, p := range sortedKeys(inputs) {
		aw.sep(i)
		aw.byte('(')
		aw.raw("input derivation", p)
		aw.byte(',')
		aw.list(uniqueSorted(inputs[p]), true)
		aw.byte(')')
	}
	aw.str("],")
	aw.list(uniqueSorted(d.InputSources), true)
	aw.byte(',')
	aw.raw("system", d.Platform)
	aw.byte(',')
	aw.quoted(d.Builder)
	aw.byte(',')
	aw.list(d.Arguments, false)
	aw.str(",[")
	env := d.Env
	if mask {
		// Nix requires env[o] = path for every input-addressed output o
		// (checkInvariants), so the masked ATerm has ("o","") whether or not
		// the caller has set Env[o] yet.
		env = maps.Clone(d.Env)
		if env == nil {
			env = map[string]string{}
		}
		for o := range d.Outputs {
			env[o] = ""
		}
	}
	for i, k := range sortedKeys(env) {
		v := env[k]
		aw.sep(i)
		aw.byte('(')
		aw.quoted(k)
		aw.byte(',')
		aw.quoted(v)
		aw.byte(')')
	}
	aw.str("])")
	if err := aw.w.Flush(); err != nil {
		return err
	}
	return aw.err
}

// writer writes ATerm tokens; err keeps the first string Nix could not read back.
type writer struct {
	w   *bufio.Writer
	err error
}

func (a *writer) str(s string) { a.w.WriteString(s) }
func (a *writer) byte(c byte)  { a.w.WriteByte(c) }

func (a *writer) sep(i int) {
	if i > 0 {
		a.w.WriteByte(',')
	}
}

// quoted writes s as Nix's printString does.
func (a *writer) quoted(s string) {
	a.w.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '"':
			esc = `\"`
		case '\\':
			esc = `\\`
		case '\n':
			esc = `\n`
		case '\r':
			esc = `\r`
		case '\t':
			esc = `\t`
		default:
			continue
		}
		a.w.WriteString(s[start:i])
		a.w.WriteString(esc)
		start = i + 1
	}
	a.w.WriteString(s[start:])
	a.w.WriteByte('"')
}

// raw writes s as Nix's printUnquotedString does: quoted but not escaped.
func (a *writer) raw(what, s string) {
	if a.err == nil && strings.ContainsAny(s, `"\`) {
		a.err = fmt.Errorf("%s %q: Nix writes it unescaped, so it must not contain '\"' or '\\'", what, s)
	}
	a.w.WriteByte('"')
	a.w.WriteString(s)
	a.w.WriteByte('"')
}

func (a *writer) list(xs []string, unquoted bool) {
	a.w.WriteByte('[')
	for i, x := range xs {
		a.sep(i)
		if unquoted {
			a.raw("store path or output name", x)
		} else {
			a.quoted(x)
		}
	}
	a.w.WriteByte(']')
}

// sortedKeys returns m's keys in bytewise order, std::map's order for std::string keys.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// uniqueSorted returns a sorted copy of xs without duplicates, as a std::set holds them.
func uniqueSorted(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return slices.Compact(out)
}
