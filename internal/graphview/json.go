package graphview

import (
	"encoding/json"
	"io"
)

// JSONVersion is the version of the `graph --json` document; it changes only when a
// field is removed or changes meaning.
const JSONVersion = 1

// Document is `cargo nix-unit graph --json`. Units are sorted by key; every list in it
// is sorted, so the output is deterministic. docs/graph-json.md describes the fields.
type Document struct {
	Version          int        `json:"version"`
	ContentAddressed bool       `json:"contentAddressed"`
	Roots            []string   `json:"roots"`  // keys of the units Cargo was asked for
	Result           JSONResult `json:"result"` // the derivation `build` realises
	Units            []JSONUnit `json:"units"`
}

// JSONResult is the derivation collecting the roots' binaries and libraries.
type JSONResult struct {
	DrvPath string `json:"drvPath"`
	Output  string `json:"output"`
}

// JSONUnit is one unit.
type JSONUnit struct {
	Key          string      `json:"key"`  // unique, stable across edits: the derivation name
	Unit         string      `json:"unit"` // "greeter v0.2.1 (lib)"
	Package      JSONPackage `json:"package"`
	Target       JSONTarget  `json:"target"`
	Kind         string      `json:"kind"`     // lib, bin, proc-macro, build-script, build-script-run, lib-test, bin-test, test, example, bench
	Mode         string      `json:"mode"`     // Cargo's: build, test, run-custom-build, ...
	Platform     string      `json:"platform"` // "host" or the target triple
	Profile      string      `json:"profile"`
	Features     []string    `json:"features"`     // sorted
	Dependencies []string    `json:"dependencies"` // keys, sorted
	DrvPath      string      `json:"drvPath"`
	Output       string      `json:"output"` // store path, or "content-addressed"
	Valid        bool        `json:"valid"`  // the .drv is registered in the store
	Cached       *bool       `json:"cached"` // the output is in the store; null if not asked
}

// JSONPackage identifies the unit's package.
type JSONPackage struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	ID      string `json:"id"` // Cargo's package ID spec, as in `cargo metadata`
	Member  bool   `json:"member"`
}

// JSONTarget is the Cargo target the unit compiles.
type JSONTarget struct {
	Name  string   `json:"name"`
	Kinds []string `json:"kinds"` // as Cargo lists them: ["lib"], ["cdylib","rlib"], ["custom-build"]
}

// Document returns the JSON view.
func (v *View) Document() *Document {
	d := &Document{Version: JSONVersion, ContentAddressed: v.CA, Roots: nonNil(v.Roots),
		Result: JSONResult{DrvPath: v.Result.DrvPath, Output: v.Result.Out}, Units: []JSONUnit{}}
	if d.Result.Output == "" {
		d.Result.Output = "content-addressed"
	}
	for _, n := range v.Nodes {
		u := n.Unit
		j := JSONUnit{
			Key: n.Key, Unit: n.Label,
			Package: JSONPackage{Name: n.Package.Name, Version: n.Package.Version, ID: n.Package.ID, Member: n.Package.Member},
			Target:  JSONTarget{Name: u.Target.Name, Kinds: nonNil(u.Target.Kind)},
			Kind:    u.Kind(), Mode: u.Mode, Platform: "host", Profile: u.Profile.Name,
			Features: nonNil(u.Features), Dependencies: []string{},
			DrvPath: n.DrvPath, Output: n.Output, Valid: n.Valid,
		}
		if u.Platform != nil {
			j.Platform = *u.Platform
		}
		for _, e := range n.Deps {
			j.Dependencies = append(j.Dependencies, e.To)
		}
		if n.Status != StatusUnknown {
			c := n.Status == StatusCached
			j.Cached = &c
		}
		d.Units = append(d.Units, j)
	}
	return d
}

// JSON writes the JSON view, indented.
func (v *View) JSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v.Document())
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}
