package plan

import (
	"strings"
)

// Refs stand in a job for what only the store knows: a dependency's output (a
// store path when input-addressed, Nix's placeholder when content-addressed)
// and a package source's store path. Keeping them symbolic makes the plan
// independent of the store, the machine and the content-addressing mode: Derive
// replaces them when it writes derivations, and the plan file keeps them for
// whoever writes the derivations elsewhere (the flake). Keys and source names
// never contain '}', which ends a ref.
const (
	outRefPrefix    = "@{out:"
	sourceRefPrefix = "@{source:"
	// ToolchainRef stands, in the plan file only, for the toolchain's sysroot:
	// the flake's user gives it (rustToolchain), the CLI found it.
	ToolchainRef = "@{toolchain}"
)

// OutRef stands for the output of the unit with key.
func OutRef(key string) string { return outRefPrefix + key + "}" }

// SourceRef stands for the store path of the source named name.
func SourceRef(name string) string { return sourceRefPrefix + name + "}" }

// Replacer resolves n's refs: out gives each dependency's output as the job
// must name it, src gives a source's store path.
func (n *Node) Replacer(out func(*Node) string, src func(*Source) string) *strings.Replacer {
	pairs := make([]string, 0, 2*len(n.Deps)+2)
	for _, d := range n.Deps {
		pairs = append(pairs, OutRef(d.Key), out(d))
	}
	if n.Source != nil {
		pairs = append(pairs, SourceRef(n.Source.Name), src(n.Source))
	}
	return strings.NewReplacer(pairs...)
}

// Command is n's process as its derivation runs it, the way `cargo build -v`
// shows it: the program and its arguments, each dependency's ref replaced by
// its output (a path, or Nix's placeholder when content-addressed) and the
// source's by its store path. Its derivation and its dependencies' must be
// written (Derive).
func (n *Node) Command() []string {
	r := n.Replacer(func(d *Node) string { return d.Drv.Ref }, func(src *Source) string { return src.Path })
	words := append([]string{n.Job.Program}, n.Job.Args...)
	for k, w := range words {
		words[k] = r.Replace(w)
	}
	return words
}
