package report

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/buildscript"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// JSONReport is what `build --json` prints: stable field names for scripts.
type JSONReport struct {
	Result     string  `json:"result"`
	OutLink    string  `json:"outLink,omitempty"`
	Profile    string  `json:"profile"`
	Elapsed    float64 `json:"elapsedSeconds"`
	Registered int     `json:"registered"`
	Built      int     `json:"built"`
	Cached     int     `json:"cached"`
	CutOff     int     `json:"cutOff"`
	// Substituted counts units whose outputs Nix fetched from a substituter.
	Substituted int        `json:"substituted,omitempty"`
	Units       []JSONUnit `json:"units"`
}

// JSONUnit is one unit of a JSONReport.
type JSONUnit struct {
	Unit    string  `json:"unit"` // "serde v1.0.152 (build script run)"
	Key     string  `json:"key"`  // unique in the build (docs/graph-json.md)
	Package string  `json:"packageId"`
	Target  string  `json:"target"`
	Kind    string  `json:"kind"`
	Drv     string  `json:"drv"`
	Out     string  `json:"out"`
	Status  string  `json:"status"`            // built, cached, cut-off or substituted
	Seconds float64 `json:"seconds,omitempty"` // build time of a built unit
}

// JSON writes the report of a finished build, units in dependency order. Every
// node's Out and Status must be known.
func JSON(w io.Writer, p *plan.Plan, s *Summary, outLink string) error {
	jr := JSONReport{Result: s.Out, OutLink: outLink, Profile: s.Profile, Elapsed: s.Elapsed.Seconds(),
		Registered: s.Registered, Built: s.Built, Cached: s.Cached, CutOff: s.CutOff, Substituted: s.Substituted, Units: []JSONUnit{}}
	for _, n := range p.Nodes {
		u := n.Unit
		ju := JSONUnit{Unit: u.String(), Key: n.Key, Package: u.PkgID, Target: u.Target.Name, Kind: u.Kind(),
			Drv: n.Drv.Path, Out: n.Out, Status: string(n.Status)}
		if n.Status == plan.StatusBuilt {
			ju.Seconds = n.Time.Seconds()
		}
		jr.Units = append(jr.Units, ju)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(jr)
}

// Cargo's --message-format json messages (cargo: core/compiler/machine_message.rs).
type artifactMessage struct {
	Reason       string           `json:"reason"`
	PackageID    string           `json:"package_id"`
	ManifestPath string           `json:"manifest_path"`
	Target       unitgraph.Target `json:"target"` // Cargo's own JSON for a target
	Profile      artifactProfile  `json:"profile"`
	Features     []string         `json:"features"`
	Filenames    []string         `json:"filenames"`
	Executable   *string          `json:"executable"`
	Fresh        bool             `json:"fresh"`
}

type artifactProfile struct {
	OptLevel        string `json:"opt_level"`
	Debuginfo       any    `json:"debuginfo"`
	DebugAssertions bool   `json:"debug_assertions"`
	OverflowChecks  bool   `json:"overflow_checks"`
	Test            bool   `json:"test"`
}

type buildScriptMessage struct {
	Reason      string      `json:"reason"`
	PackageID   string      `json:"package_id"`
	LinkedLibs  []string    `json:"linked_libs"`
	LinkedPaths []string    `json:"linked_paths"`
	Cfgs        []string    `json:"cfgs"`
	Env         [][2]string `json:"env"`
	OutDir      string      `json:"out_dir"`
}

// CargoMessages prints, one JSON object per line, what `cargo build
// --message-format json` prints for each unit — its diagnostics as
// compiler-message, then compiler-artifact or build-script-executed — with
// store paths as file names, then build-finished. Every node's Out and Status
// must be known. ansi keeps the colours of rendered diagnostics
// (json-diagnostic-rendered-ansi).
func CargoMessages(w io.Writer, p *plan.Plan, ansi bool) error {
	m := newMessages(w, p, ansi)
	for _, n := range p.Nodes {
		if err := m.unit(n); err != nil {
			return err
		}
	}
	return m.finished(true)
}

// unit prints n's messages: its diagnostics, then what it produced.
func (m *messages) unit(n *plan.Node) error {
	if err := m.diagnostics(n); err != nil {
		return err
	}
	u, out := n.Unit, n.Out
	if u.IsBuildScriptRun() {
		bs := buildScriptMessage{Reason: "build-script-executed", PackageID: u.PkgID,
			LinkedLibs: []string{}, LinkedPaths: []string{}, Cfgs: []string{}, Env: [][2]string{}, OutDir: job.OutDir(out)}
		if o, err := buildscript.Read(job.DirectivesFile(out)); err == nil {
			bs.LinkedLibs = append(bs.LinkedLibs, o.LinkLibs...)
			bs.LinkedPaths = append(bs.LinkedPaths, o.LinkSearch...)
			bs.Cfgs = append(bs.Cfgs, o.Cfgs...)
			for _, e := range o.Env {
				bs.Env = append(bs.Env, [2]string{e.Key, e.Value})
			}
		}
		return m.enc.Encode(bs)
	}
	t := u.Target
	a := artifactMessage{Reason: "compiler-artifact", PackageID: u.PkgID, ManifestPath: u.Package.ManifestPath,
		Target:   t,
		Profile:  artifactProfile{OptLevel: u.Profile.OptLevel, Debuginfo: debuginfo(u.Profile.Debuginfo), DebugAssertions: u.Profile.DebugAssertions, OverflowChecks: u.Profile.OverflowChecks, Test: u.Mode == "test" || u.CheckTest},
		Features: append([]string{}, u.Features...), Filenames: artifacts(out), Fresh: n.Status != plan.StatusBuilt}
	if u.Mode == "doc" {
		// Cargo names a documented unit's index page.
		a.Filenames = []string{job.DocDir(out) + "/" + t.CrateName() + "/index.html"}
	}
	if exe := filepath.Join(out, "bin", t.Name); u.Mode == "test" || t.HasKind("bin") || t.HasKind("example") {
		if _, err := os.Stat(exe); err == nil {
			a.Executable = &exe
		}
	}
	return m.enc.Encode(a)
}

// debuginfo is Cargo's JSON for a debuginfo level: a number, or a name.
func debuginfo(d unitgraph.Debuginfo) any {
	if n, err := strconv.Atoi(string(d)); err == nil {
		return n
	}
	return string(d)
}

// artifacts lists the files a unit produced: its lib/ and bin/ entries.
func artifacts(out string) []string {
	files := []string{}
	for _, dir := range []string{"lib", "bin"} {
		entries, _ := os.ReadDir(filepath.Join(out, dir))
		for _, e := range entries {
			if !e.IsDir() {
				files = append(files, filepath.Join(out, dir, e.Name()))
			}
		}
	}
	sort.Strings(files)
	return files
}
