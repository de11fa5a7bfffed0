package aterm

import (
	"bufio"
	"bytes"
	"io"
	"sort"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"
)

// Write writes d as Nix's ATerm (libstore/derivations.cc, Derivation::unparse):
// outputs, input derivations and environment sorted by key, every string escaped.
func Write(w io.Writer, d *nixdrv.Derivation) error {
	return write(w, d, false, nil)
}

// Bytes returns d's ATerm.
func Bytes(d *nixdrv.Derivation) []byte {
	var b bytes.Buffer
	_ = Write(&b, d)
	return b.Bytes()
}

// write is the one writer. With mask, output paths and the environment variables
// named after outputs are written empty (for hashing output paths). inputs, when
// non-nil, replaces d.InputDerivations (keys are then hash-modulo hex strings).
func write(w io.Writer, d *nixdrv.Derivation, mask bool, inputs map[string][]string) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("Derive([")
	for i, name := range sortedKeys(d.Outputs) {
		o := d.Outputs[name]
		if i > 0 {
			bw.WriteByte(',')
		}
		path := o.Path
		if mask {
			path = ""
		}
		bw.WriteByte('(')
		str(bw, name)
		bw.WriteByte(',')
		str(bw, path)
		bw.WriteByte(',')
		str(bw, o.HashAlgorithm)
		bw.WriteByte(',')
		str(bw, o.Hash)
		bw.WriteByte(')')
	}
	bw.WriteString("],[")
	if inputs == nil {
		inputs = d.InputDerivations
	}
	for i, p := range sortedKeys(inputs) {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteByte('(')
		str(bw, p)
		bw.WriteString(",")
		list(bw, sortedCopy(inputs[p]))
		bw.WriteByte(')')
	}
	bw.WriteString("],")
	list(bw, sortedCopy(d.InputSources))
	bw.WriteByte(',')
	str(bw, d.Platform)
	bw.WriteByte(',')
	str(bw, d.Builder)
	bw.WriteByte(',')
	list(bw, d.Arguments)
	bw.WriteString(",[")
	for i, k := range sortedKeys(d.Env) {
		if i > 0 {
			bw.WriteByte(',')
		}
		v := d.Env[k]
		if _, isOutput := d.Outputs[k]; mask && isOutput {
			v = ""
		}
		bw.WriteByte('(')
		str(bw, k)
		bw.WriteByte(',')
		str(bw, v)
		bw.WriteByte(')')
	}
	bw.WriteString("])")
	return bw.Flush()
}

// str writes a quoted string escaped as Nix's printString does.
func str(w *bufio.Writer, s string) {
	w.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\':
			w.WriteByte('\\')
			w.WriteByte(c)
		case '\n':
			w.WriteString(`\n`)
		case '\r':
			w.WriteString(`\r`)
		case '\t':
			w.WriteString(`\t`)
		default:
			w.WriteByte(c)
		}
	}
	w.WriteByte('"')
}

func list(w *bufio.Writer, xs []string) {
	w.WriteByte('[')
	for i, x := range xs {
		if i > 0 {
			w.WriteByte(',')
		}
		str(w, x)
	}
	w.WriteByte(']')
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sortedCopy(xs []string) []string {
	out := append([]string(nil), xs...)
	sort.Strings(out)
	return out
}
