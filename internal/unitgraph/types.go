package unitgraph

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Graph is Cargo's unit graph (`cargo build --unit-graph`), each unit joined with its package.
type Graph struct {
	Version int    `json:"version"`
	Units   []Unit `json:"units"`
	Roots   []int  `json:"roots"` // indices into Units

	Workspace *Metadata `json:"-"`
}

// Unit is one Cargo compilation unit (cargo: core/compiler/unit.rs, serialised by unit_graph.rs).
type Unit struct {
	PkgID        string       `json:"pkg_id"`
	Target       Target       `json:"target"`
	Profile      Profile      `json:"profile"`
	Platform     *string      `json:"platform"` // nil: the host
	Mode         string       `json:"mode"`     // build, test, check, doc, doctest, run-custom-build
	Features     []string     `json:"features"` // sorted by Cargo
	Dependencies []Dependency `json:"dependencies"`

	Package *Package `json:"-"` // metadata of PkgID, set by Parse
	// CheckTest marks a check unit Cargo compiles with --test; the unit graph
	// writes it as "check" like the others (set by Parse, see markCheckTests).
	CheckTest bool `json:"-"`
}

// Target is the Cargo target a unit compiles.
type Target struct {
	Kind             []string `json:"kind"` // lib, rlib, cdylib, proc-macro, bin, test, bench, example, custom-build
	CrateTypes       []string `json:"crate_types"`
	Name             string   `json:"name"`
	SrcPath          string   `json:"src_path"`
	Edition          string   `json:"edition"`
	Doc              bool     `json:"doc"`
	Doctest          bool     `json:"doctest"`
	Test             bool     `json:"test"`
	RequiredFeatures []string `json:"required-features,omitempty"`
}

// Profile is the resolved profile of one unit.
type Profile struct {
	Name            string    `json:"name"`
	OptLevel        string    `json:"opt_level"`
	LTO             string    `json:"lto"` // "false", "true", "off", "thin", "fat"
	CodegenBackend  *string   `json:"codegen_backend"`
	CodegenUnits    *int      `json:"codegen_units"`
	Debuginfo       Debuginfo `json:"debuginfo"`
	SplitDebuginfo  *string   `json:"split_debuginfo"`
	DebugAssertions bool      `json:"debug_assertions"`
	OverflowChecks  bool      `json:"overflow_checks"`
	Rpath           bool      `json:"rpath"`
	Incremental     bool      `json:"incremental"`
	Panic           string    `json:"panic"`
	Strip           Strip     `json:"strip"`
	Rustflags       []string  `json:"rustflags,omitempty"`
}

// Dependency is an edge of the unit graph.
type Dependency struct {
	Index           int    `json:"index"`
	ExternCrateName string `json:"extern_crate_name"`
	Public          bool   `json:"public,omitempty"`
	Noprelude       bool   `json:"noprelude,omitempty"`
	Nounused        bool   `json:"nounused,omitempty"`
}

// Debuginfo is a profile's debug level as rustc's -C debuginfo takes it:
// "0", "1", "2", "line-tables-only", "line-directives-only". Cargo writes numbers or strings.
type Debuginfo string

func (d *Debuginfo) UnmarshalJSON(b []byte) error {
	var n json.Number
	if err := json.Unmarshal(b, &n); err == nil {
		*d = Debuginfo(n.String())
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("debuginfo: %s is neither a number nor a string", b)
	}
	*d = Debuginfo(s)
	return nil
}

func (d Debuginfo) MarshalJSON() ([]byte, error) { return json.Marshal(string(d)) }

// Strip is what `-C strip=` gets: "none", "debuginfo" or "symbols".
// Cargo writes {"deferred":"None"}, {"resolved":"None"} or {"resolved":{"Named":"debuginfo"}}.
type Strip string

func (s *Strip) UnmarshalJSON(b []byte) error {
	var outer map[string]json.RawMessage
	if err := json.Unmarshal(b, &outer); err != nil {
		var plain string
		if err := json.Unmarshal(b, &plain); err != nil {
			return fmt.Errorf("strip: unexpected %s", b)
		}
		*s = Strip(strings.ToLower(plain))
		return nil
	}
	for _, inner := range outer {
		var name string
		if json.Unmarshal(inner, &name) == nil {
			*s = Strip(strings.ToLower(name))
			return nil
		}
		var named struct{ Named string }
		if err := json.Unmarshal(inner, &named); err != nil || named.Named == "" {
			return fmt.Errorf("strip: unexpected %s", b)
		}
		*s = Strip(strings.ToLower(named.Named))
		return nil
	}
	*s = "none"
	return nil
}

func (s Strip) MarshalJSON() ([]byte, error) { return json.Marshal(string(s)) }

// Metadata is the part of `cargo metadata --format-version 1` the tool uses.
type Metadata struct {
	Packages         []*Package `json:"packages"`
	WorkspaceMembers []string   `json:"workspace_members"`
	// WorkspaceDefaultMembers are the members Cargo selects without -p or
	// --workspace (Cargo 1.71 and later).
	WorkspaceDefaultMembers []string `json:"workspace_default_members,omitempty"`
	WorkspaceRoot           string   `json:"workspace_root"`
	TargetDirectory         string   `json:"target_directory"`
	Version                 int      `json:"version"`
}

// Package is one package of `cargo metadata`; ID equals the unit graph's pkg_id.
type Package struct {
	ID           string              `json:"id"`
	Name         string              `json:"name"`
	Version      string              `json:"version"`
	Source       *string             `json:"source"` // nil for path packages
	Authors      []string            `json:"authors"`
	Description  *string             `json:"description"`
	Homepage     *string             `json:"homepage"`
	Repository   *string             `json:"repository"`
	License      *string             `json:"license"`
	LicenseFile  *string             `json:"license_file"`
	Readme       *string             `json:"readme"`
	RustVersion  *string             `json:"rust_version"`
	Links        *string             `json:"links"`
	Edition      string              `json:"edition"`
	Features     map[string][]string `json:"features"`
	ManifestPath string              `json:"manifest_path"`
	Targets      []Target            `json:"targets"`
	// Metadata is the package's [package.metadata] table, as JSON (null if none).
	Metadata json.RawMessage `json:"metadata"`

	Member bool `json:"-"` // a workspace member
}
