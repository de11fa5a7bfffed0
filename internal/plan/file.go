package plan

import (
	"encoding/json"
	"io"
	"path/filepath"
	"sort"
	"strings"
)

// FileVersion is the version of the plan file; it changes when a field is
// removed or changes meaning.
const FileVersion = 1

// File is the plan as data: every unit's derivation as the CLI writes it, with
// dependencies named by key and sources by name instead of store paths, so
// that whoever writes the derivations elsewhere (the flake) writes the same
// ones. docs/plan-json.md describes it.
type File struct {
	Version int          `json:"version"`
	Sources []FileSource `json:"sources"` // sorted by name
	Units   []FileUnit   `json:"units"`   // each after its dependencies
	Result  FileUnit     `json:"result"`  // gathers the roots' outputs
	// Runs are the test runs of `test`, in the order Cargo runs them.
	Runs []FileUnit `json:"runs,omitempty"`
	// HostPaths are host paths the builds must see (declared native inputs).
	HostPaths []string `json:"hostPaths,omitempty"`
}

// FileSource is a package's source: which files of which directory.
type FileSource struct {
	Name string `json:"name"` // the store path's name
	// Dir is relative to the workspace root for a package inside it, else absolute.
	Dir   string   `json:"dir"`
	Files []string `json:"files"` // relative to Dir, sorted
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
	// holds it once every ref (@{out:KEY}, @{source:NAME}) is replaced.
	Job string `json:"job"`
	// OnHost marks a test run made on the host: it has no derivation.
	OnHost bool `json:"onHost,omitempty"`
}

// File returns the plan as data.
func (p *Plan) File() (*File, error) {
	f := &File{Version: FileVersion, HostPaths: p.HostPaths}
	root := p.Input.Graph.Workspace.WorkspaceRoot
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
				f.Sources = append(f.Sources, FileSource{Name: s.Name, Dir: relativeTo(root, s.Dir), Files: s.Files})
			}
		}
		var err error
		fu.Job, err = n.Job.Encode()
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
