package plan

import (
	"encoding/json"
	"io"
	"path/filepath"
	"sort"
	"strings"
)

// FileVersion is the version of the plan file; it changes when a field is
// removed or changes meaning. Version 2: sources say where they come from
// (kind, crate, git, narHash), jobs name the toolchain's sysroot as
// @{toolchain}, and the file lists the toolchain and the files it follows from.
const FileVersion = 2

// File is the plan as data: every unit's derivation as the CLI writes it, with
// dependencies named by key, sources by name and the toolchain by a ref
// instead of store paths, so that whoever writes the derivations elsewhere
// (the flake) writes the same ones. docs/plan-json.md describes it.
type File struct {
	Version   int           `json:"version"`
	Toolchain FileToolchain `json:"toolchain"`
	// Checked are the files the plan follows from (Cargo.lock, the manifests
	// inside the workspace) with their hashes: a differing one makes it stale.
	Checked []Checked    `json:"checked"`
	Sources []FileSource `json:"sources"` // sorted by name
	Units   []FileUnit   `json:"units"`   // each after its dependencies
	Result  FileUnit     `json:"result"`  // gathers the roots' outputs
	// Runs are the test runs of `test`, in the order Cargo runs them.
	Runs []FileUnit `json:"runs,omitempty"`
	// HostPaths are host paths the builds must see (declared native inputs).
	HostPaths []string `json:"hostPaths,omitempty"`
}

// FileToolchain is the toolchain the jobs were planned for; the jobs name its
// sysroot as @{toolchain}, which the flake's user gives.
type FileToolchain struct {
	Version    string   `json:"version"` // rustc -vV
	Host       string   `json:"host"`
	Components []string `json:"components,omitempty"`
}

// FileSource is a package's source: which files, and where they come from.
type FileSource struct {
	Name string `json:"name"` // the store path's name
	// Kind is "path" (a path package), "registry", "git" or "directory" (see Origin).
	Kind string `json:"kind"`
	// Dir is where the files are for path and directory sources: relative to
	// the workspace root inside it, else absolute.
	Dir   string   `json:"dir,omitempty"`
	Files []string `json:"files"` // relative to the package's directory, sorted
	// NarHash is the NAR hash of exactly these files (SRI): a registry
	// source's fixed-output hash.
	NarHash string     `json:"narHash,omitempty"`
	Crate   *FileCrate `json:"crate,omitempty"` // registry sources
	Git     *FileGit   `json:"git,omitempty"`   // git sources
}

// FileCrate is a registry crate's .crate file.
type FileCrate struct {
	Name     string `json:"name"`
	Version  string `json:"version"`
	Source   string `json:"source"`             // as Cargo.lock names it
	Checksum string `json:"checksum,omitempty"` // Cargo.lock's sha256 of the .crate
	URL      string `json:"url,omitempty"`      // "" when the registry's dl could not be found
}

// FileGit is a git package's checkout.
type FileGit struct {
	URL    string `json:"url"`
	Rev    string `json:"rev"`
	Subdir string `json:"subdir,omitempty"`
}

// FileUnit is one derivation.
type FileUnit struct {
	Key    string   `json:"key"`
	Name   string   `json:"name"`           // the derivation's name
	Unit   string   `json:"unit,omitempty"` // "serde v1.0.152 (lib)"
	Deps   []string `json:"deps"`           // keys of the units whose outputs Job refers to
	Source string   `json:"source,omitempty"`
	Store  []string `json:"store,omitempty"` // other store paths it reads
	// Job is the builder's job exactly as the derivation's cargoNixUnitJob
	// holds it once every ref (@{out:KEY}, @{source:NAME}, @{toolchain}) is
	// replaced.
	Job string `json:"job"`
	// OnHost marks a test run made on the host: it has no derivation.
	OnHost bool `json:"onHost,omitempty"`
}

// File returns the plan as data.
func (p *Plan) File() (*File, error) {
	in := p.Input
	f := &File{Version: FileVersion, HostPaths: p.HostPaths, Checked: in.Checked,
		Toolchain: FileToolchain{Version: in.Toolchain.Version, Host: in.Toolchain.Host, Components: in.Toolchain.Components}}
	if f.Checked == nil {
		f.Checked = []Checked{}
	}
	root := in.Graph.Workspace.WorkspaceRoot
	toolchain := toolchainRefs(in.Toolchain.Rustc)
	seen := map[string]bool{}
	unit := func(n *Node) (FileUnit, error) {
		fu := FileUnit{Key: n.Key, Name: n.Name, Deps: []string{}, Store: n.Store}
		if n.Unit != nil {
			fu.Unit = n.Unit.String()
		}
		for _, d := range n.Deps {
			fu.Deps = append(fu.Deps, d.Key)
		}
		if s := n.Source; s != nil {
			fu.Source = s.Name
			if !seen[s.Name] {
				seen[s.Name] = true
				f.Sources = append(f.Sources, fileSource(s, n.Unit.Package.ID, in.Origins, root, n.Unit.Package.Name, n.Unit.Package.Version))
			}
		}
		enc, err := n.Job.Encode()
		fu.Job = toolchain.Replace(enc)
		return fu, err
	}
	for _, n := range p.Nodes {
		fu, err := unit(n)
		if err != nil {
			return nil, err
		}
		f.Units = append(f.Units, fu)
	}
	var err error
	if f.Result, err = unit(p.Result); err != nil {
		return nil, err
	}
	for _, n := range p.Runs {
		fu, err := unit(n)
		if err != nil {
			return nil, err
		}
		fu.OnHost = n.Run.OnHost
		f.Runs = append(f.Runs, fu)
	}
	sort.Slice(f.Sources, func(a, b int) bool { return f.Sources[a].Name < f.Sources[b].Name })
	return f, nil
}

// fileSource describes s, the source of the package with id.
func fileSource(s *Source, id string, origins map[string]*Origin, root, name, version string) FileSource {
	fs := FileSource{Name: s.Name, Kind: "path", Files: s.Files}
	o := origins[id]
	if o != nil {
		// A path package's hash changes with every edit: not part of the plan.
		fs.NarHash = s.NarHash
	}
	switch {
	case o == nil || o.Kind == "directory":
		if o != nil {
			fs.Kind = o.Kind
		}
		fs.Dir = relativeTo(root, s.Dir)
	case o.Kind == "registry":
		fs.Kind = o.Kind
		fs.Crate = &FileCrate{Name: name, Version: version, Source: o.Source, Checksum: o.Checksum, URL: o.URL}
	case o.Kind == "git":
		fs.Kind = o.Kind
		fs.Git = &FileGit{URL: o.Git, Rev: o.Rev, Subdir: o.Subdir}
	}
	return fs
}

// toolchainRefs replaces the toolchain's sysroot (rustc's directory's parent)
// with @{toolchain} in a job: as a path's prefix or a whole JSON string.
func toolchainRefs(rustc string) *strings.Replacer {
	if rustc == "" {
		return strings.NewReplacer()
	}
	sysroot := filepath.Dir(filepath.Dir(rustc))
	return strings.NewReplacer(sysroot+"/", ToolchainRef+"/", `"`+sysroot+`"`, `"`+ToolchainRef+`"`)
}

// Write writes f as indented JSON.
func (f *File) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(f)
}

// relativeTo is dir relative to root when it is inside root, else dir.
func relativeTo(root, dir string) string {
	rel, err := filepath.Rel(root, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return dir
	}
	return filepath.ToSlash(rel)
}
