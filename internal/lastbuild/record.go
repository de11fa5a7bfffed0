package lastbuild

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/cache"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
)

// Version is the record format; a record of another version is ignored.
const Version = 1

// Record is the inputs of every unit of the builds so far, by unit key (plan.Keys).
type Record struct {
	Version          int                `json:"version"`
	ContentAddressed bool               `json:"contentAddressed"`
	Units            map[string]*Inputs `json:"units"`
}

// Inputs summarise what a unit's derivation is made of.
type Inputs struct {
	Unit    string            `json:"unit"` // "greeter v0.2.1 (lib)"
	Drv     string            `json:"drv"`
	Sources []string          `json:"sources"` // the package's source store paths, sorted
	Tools   []string          `json:"tools"`   // the builder and toolchain store paths, sorted
	Deps    map[string]string `json:"deps"`    // dependency key → its .drv path
	// Flags hashes the job (rustc arguments, environment, build-script settings) with
	// every store path of sources, tools and dependencies blanked out: it changes only
	// when the unit's own settings do.
	Flags string `json:"flags"`
}

// Path is where the record lives under Cargo's target directory.
func Path(targetDir string) string { return filepath.Join(targetDir, "nix-unit", "last-build.json") }

// FromPlan summarises the plan, whose derivations are written; tools are the
// store paths of the builder and the toolchain.
func FromPlan(p *plan.Plan, ca bool, tools []string) *Record {
	r := &Record{Version: Version, ContentAddressed: ca, Units: map[string]*Inputs{}}
	isTool := map[string]bool{}
	for _, t := range tools {
		isTool[t] = true
	}
	for _, n := range p.Nodes {
		d := n.Drv
		in := &Inputs{Unit: n.String(), Drv: d.Path, Sources: []string{}, Tools: []string{}, Deps: map[string]string{}}
		var blank []string
		for _, s := range d.Drv.InputSources {
			if isTool[s] {
				in.Tools = append(in.Tools, s)
				blank = append(blank, s, "<tool>")
			} else {
				in.Sources = append(in.Sources, s)
			}
		}
		for _, dep := range n.Deps {
			in.Deps[dep.Key] = dep.Drv.Path
		}
		sort.Strings(in.Sources)
		sort.Strings(in.Tools)
		// The job's refs name dependencies by key and sources by name: only
		// the unit's own settings change it.
		enc, _ := n.Job.Encode()
		in.Flags = flagsHash(enc+"\x00"+d.Drv.Platform, blank)
		r.Units[n.Key] = in
	}
	return r
}

// flagsHash hashes s after replacing each old with its new (pairs); longer paths first,
// so a path is never cut by a shorter one it starts with.
func flagsHash(s string, pairs []string) string {
	type pair struct{ old, new string }
	ps := make([]pair, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i] != "" {
			ps = append(ps, pair{pairs[i], pairs[i+1]})
		}
	}
	sort.Slice(ps, func(a, b int) bool {
		if len(ps[a].old) != len(ps[b].old) {
			return len(ps[a].old) > len(ps[b].old)
		}
		return ps[a].old < ps[b].old
	})
	for _, p := range ps {
		s = strings.ReplaceAll(s, p.old, p.new)
	}
	sum := sha256.Sum256([]byte(canonical(s)))
	return fmt.Sprintf("sha256:%x", sum)
}

// canonical sorts every list of strings in the job JSON s: lists such as the
// `-L dependency=` directories are ordered by dependency path, so a changed dependency
// would otherwise reorder them and look like a flag change. The price: a mere
// reordering of rustc arguments goes unnoticed.
func canonical(s string) string {
	job, rest, _ := strings.Cut(s, "\x00")
	var v any
	if err := json.Unmarshal([]byte(job), &v); err != nil {
		return s
	}
	var walk func(any) any
	walk = func(x any) any {
		switch t := x.(type) {
		case map[string]any:
			for k, e := range t {
				t[k] = walk(e)
			}
		case []any:
			strs := make([]string, 0, len(t))
			for i, e := range t {
				t[i] = walk(e)
				if str, ok := e.(string); ok {
					strs = append(strs, str)
				}
			}
			if len(strs) == len(t) {
				sort.Strings(strs)
				for i, str := range strs {
					t[i] = str
				}
			}
		}
		return x
	}
	b, err := json.Marshal(walk(v))
	if err != nil {
		return s
	}
	return string(b) + "\x00" + rest
}

// Merge keeps the units of old that cur does not have (other packages, other
// selections); a record in another derivation mode is replaced.
func Merge(old, cur *Record) *Record {
	if old == nil || old.Version != cur.Version || old.ContentAddressed != cur.ContentAddressed {
		return cur
	}
	out := &Record{Version: cur.Version, ContentAddressed: cur.ContentAddressed, Units: map[string]*Inputs{}}
	for k, in := range old.Units {
		out.Units[k] = in
	}
	for k, in := range cur.Units {
		out.Units[k] = in
	}
	return out
}

// Load reads the record at path; a missing file or another version is no record (nil).
func Load(path string) (*Record, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var r Record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("reading %s: %w (delete it: the next build writes it again)", path, err)
	}
	if r.Version != Version {
		return nil, nil
	}
	return &r, nil
}

// Save writes r to path atomically (a temporary file renamed over it), so a reader
// never sees half a record and concurrent builds leave one whole record.
func Save(path string, r *Record) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := cache.WriteAtomic(path, append(b, '\n')); err != nil {
		var pe *os.PathError
		if !errors.As(err, &pe) {
			err = errors.Unwrap(err) // WriteAtomic's message names path too
		}
		return fmt.Errorf("recording the build in %s: %w", path, err)
	}
	return nil
}
