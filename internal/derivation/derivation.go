package derivation

import (
	"fmt"
	"slices"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/aterm"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
)

// passAsFileOver is the job size above which Nix hands the job to the builder
// in a file (passAsFile) instead of the environment: Linux refuses to exec with
// one environment string over 128 KiB (MAX_ARG_STRLEN), and a root collecting
// the outputs of a thousand units gets there.
const passAsFileOver = 64 << 10

// Options are the settings every derivation shares.
type Options struct {
	// CA makes outputs floating content-addressed; otherwise they are input-addressed.
	CA      bool
	System  string // "x86_64-linux"
	Builder string // store path of the builder executable
	// InputSrcs are store paths every derivation depends on (the builder, a toolchain in the store).
	InputSrcs []string
}

// Drv is one derivation the tool writes.
type Drv struct {
	Name string
	Drv  *nixdrv.Derivation
	Path string // the .drv path
	// Out is the output path: known for input-addressed derivations, "" for CA.
	Out string
	// Ref is how dependents refer to the output: Out, or Nix's upstream placeholder.
	Ref string

	hashModulo string // input-addressed only
}

// Writer builds derivations in dependency order, remembering those it has made.
type Writer struct {
	opts Options
}

// NewWriter returns a Writer for opts.
func NewWriter(opts Options) *Writer { return &Writer{opts: opts} }

// skeleton is the derivation every job runs in: the builder with the job in
// its environment (through a file when it is long), no outputs or inputs yet.
func (w *Writer) skeleton(name, enc string) *nixdrv.Derivation {
	d := &nixdrv.Derivation{
		Outputs:          map[string]*nixdrv.Output{},
		InputDerivations: map[string][]string{},
		Platform:         w.opts.System,
		Builder:          w.opts.Builder,
		Arguments:        []string{},
		Env: map[string]string{
			"name":     name,
			"system":   w.opts.System,
			"builder":  w.opts.Builder,
			job.EnvVar: enc,
		},
	}
	if len(enc) > passAsFileOver {
		d.Env["passAsFile"] = job.EnvVar
	}
	return d
}

// Write makes the derivation that runs the job enc (job.Job.Encode, every ref
// resolved). srcs are store paths it reads besides the shared ones; deps are the
// derivations whose outputs the job refers to.
func (w *Writer) Write(name, enc string, srcs []string, deps []*Drv) (*Drv, error) {
	var err error
	d := w.skeleton(name, enc)
	d.InputSources = append(append([]string{w.opts.Builder}, w.opts.InputSrcs...), srcs...)
	slices.Sort(d.InputSources)
	d.InputSources = slices.Compact(slices.DeleteFunc(d.InputSources, func(s string) bool { return s == "" }))
	for _, dep := range deps {
		d.InputDerivations[dep.Path] = []string{"out"}
	}
	res := &Drv{Name: name, Drv: d}
	if w.opts.CA {
		d.Outputs["out"] = &nixdrv.Output{HashAlgorithm: "r:sha256"}
		d.Env["out"] = job.Self
		// What builtins.derivation keeps in the environment for
		// `__contentAddressed = true; outputHashMode = "recursive";
		// outputHashAlgo = "sha256";` (nix: libexpr/primops.cc,
		// derivationStrict: __contentAddressed is consumed, the other two stay),
		// so that the flake writes the same derivation.
		d.Env["outputHashAlgo"] = "sha256"
		d.Env["outputHashMode"] = "recursive"
		res.Path, err = aterm.DrvPath(d)
		if err != nil {
			return nil, fmt.Errorf("derivation %s: %w", name, err)
		}
		res.Ref = aterm.UpstreamPlaceholder(res.Path, "out")
		return res, nil
	}

	// Input-addressed: the output path hashes the derivation with its own path left out.
	d.Outputs["out"] = &nixdrv.Output{}
	d.Env["out"] = ""
	repl := make(map[string]string, len(deps))
	for _, dep := range deps {
		repl[dep.Path] = dep.hashModulo
	}
	outs, err := aterm.OutputPaths(d, repl)
	if err != nil {
		return nil, fmt.Errorf("derivation %s: %w", name, err)
	}
	res.Out = outs["out"]
	d.Outputs["out"].Path = res.Out
	d.Env["out"] = res.Out
	if res.Path, err = aterm.DrvPath(d); err != nil {
		return nil, fmt.Errorf("derivation %s: %w", name, err)
	}
	if res.hashModulo, err = aterm.HashModulo(d, repl); err != nil {
		return nil, fmt.Errorf("derivation %s: %w", name, err)
	}
	res.Ref = res.Out
	return res, nil
}
