package manifest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// Manifest is the part of one Cargo.toml the planner needs.
type Manifest struct {
	// LintFlags are the rustc flags of the package's [lints], in Cargo's order.
	LintFlags []string
	// NoHarness holds "<kind>:<name>" (lib, bin, test, bench, example) of targets
	// with harness = false: their test units get --cfg test instead of --test.
	NoHarness map[string]bool
}

type target struct {
	Name    string `toml:"name"`
	Harness *bool  `toml:"harness"`
}

type tomlManifest struct {
	Package *struct {
		Name string `toml:"name"`
	} `toml:"package"`
	Lints     map[string]any `toml:"lints"`
	Workspace *struct {
		Lints map[string]any `toml:"lints"`
	} `toml:"workspace"`
	Lib     *target  `toml:"lib"`
	Bin     []target `toml:"bin"`
	Test    []target `toml:"test"`
	Bench   []target `toml:"bench"`
	Example []target `toml:"example"`
}

// Read reads the manifest at path. A package with `lints.workspace = true`
// takes [workspace.lints] from the first Cargo.toml with a [workspace] table in
// its directory or above.
func Read(path string) (*Manifest, error) {
	var m tomlManifest
	if _, err := toml.DecodeFile(path, &m); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	out := &Manifest{NoHarness: map[string]bool{}}
	if m.Lib != nil && m.Lib.Harness != nil && !*m.Lib.Harness {
		name := m.Lib.Name
		if name == "" && m.Package != nil {
			name = strings.ReplaceAll(m.Package.Name, "-", "_")
		}
		out.NoHarness["lib:"+name] = true
	}
	for kind, ts := range map[string][]target{"bin": m.Bin, "test": m.Test, "bench": m.Bench, "example": m.Example} {
		for _, t := range ts {
			if t.Harness != nil && !*t.Harness {
				out.NoHarness[kind+":"+t.Name] = true
			}
		}
	}

	lints := m.Lints
	if inherit, _ := lints["workspace"].(bool); inherit {
		ws, err := workspaceLints(filepath.Dir(path))
		if err != nil {
			return nil, fmt.Errorf("%s: lints.workspace = true: %w", path, err)
		}
		lints = ws
	} else if _, ok := lints["workspace"]; ok {
		return nil, fmt.Errorf("%s: lints.workspace must be true", path)
	}
	flags, err := LintFlags(lints)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out.LintFlags = flags
	return out, nil
}

// workspaceLints finds the workspace root from dir upward and returns its [workspace.lints].
func workspaceLints(dir string) (map[string]any, error) {
	for d := dir; ; d = filepath.Dir(d) {
		p := filepath.Join(d, "Cargo.toml")
		if _, err := os.Stat(p); err == nil {
			var m tomlManifest
			if _, err := toml.DecodeFile(p, &m); err != nil {
				return nil, fmt.Errorf("reading %s: %w", p, err)
			}
			if m.Workspace != nil {
				if m.Workspace.Lints == nil {
					return nil, fmt.Errorf("the workspace %s has no [workspace.lints]", p)
				}
				return m.Workspace.Lints, nil
			}
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		if filepath.Dir(d) == d {
			return nil, fmt.Errorf("no workspace root above %s", dir)
		}
	}
}

// LintFlags turns a [lints] table into rustc flags (cargo: util/toml/mod.rs,
// lints_to_rustflags): `--<level>=[tool::]name` sorted by priority, then by
// name descending (so `all` comes last), then flag; the cargo tool's lints are
// Cargo's own; rust's unexpected_cfgs check-cfg list follows as --check-cfg.
func LintFlags(lints map[string]any) ([]string, error) {
	type flag struct {
		priority int64
		name     string
		option   string
	}
	var flags []flag
	for tool, raw := range lints {
		if tool == "cargo" {
			continue
		}
		table, ok := raw.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("lints.%s is not a table", tool)
		}
		for name, v := range table {
			level, priority, err := lintLevel(v)
			if err != nil {
				return nil, fmt.Errorf("lints.%s.%s: %w", tool, name, err)
			}
			option := "--" + level + "=" + name
			if tool != "rust" {
				option = "--" + level + "=" + tool + "::" + name
			}
			flags = append(flags, flag{priority, name, option})
		}
	}
	sort.Slice(flags, func(a, b int) bool {
		x, y := flags[a], flags[b]
		if x.priority != y.priority {
			return x.priority < y.priority
		}
		if x.name != y.name {
			return x.name > y.name
		}
		return x.option < y.option
	})
	out := make([]string, 0, len(flags))
	for _, f := range flags {
		out = append(out, f.option)
	}
	rust, _ := lints["rust"].(map[string]any)
	if cfgs, ok := rust["unexpected_cfgs"].(map[string]any); ok {
		if list, ok := cfgs["check-cfg"]; ok {
			items, ok := list.([]any)
			if !ok {
				return nil, fmt.Errorf("lints.rust.unexpected_cfgs.check-cfg must be a list of strings")
			}
			for _, it := range items {
				s, ok := it.(string)
				if !ok {
					return nil, fmt.Errorf("lints.rust.unexpected_cfgs.check-cfg must be a list of strings")
				}
				out = append(out, "--check-cfg", s)
			}
		}
	}
	return out, nil
}

func lintLevel(v any) (string, int64, error) {
	var level any = v
	var priority int64
	if t, ok := v.(map[string]any); ok {
		level = t["level"]
		if p, ok := t["priority"]; ok {
			n, ok := p.(int64)
			if !ok {
				return "", 0, fmt.Errorf("priority must be an integer")
			}
			priority = n
		}
	}
	s, _ := level.(string)
	switch s {
	case "forbid", "deny", "warn", "allow":
		return s, priority, nil
	}
	return "", 0, fmt.Errorf("level must be forbid, deny, warn or allow, not %v", level)
}

// ProfileInherits reads the `inherits` of each custom [profile.<name>] in the
// workspace root's manifest: profile name → the profile it inherits from.
func ProfileInherits(rootManifest string) (map[string]string, error) {
	var m struct {
		Profile map[string]struct {
			Inherits string `toml:"inherits"`
		} `toml:"profile"`
	}
	if _, err := toml.DecodeFile(rootManifest, &m); err != nil {
		return nil, fmt.Errorf("reading %s: %w", rootManifest, err)
	}
	out := map[string]string{}
	for name, p := range m.Profile {
		if p.Inherits != "" {
			out[name] = p.Inherits
		}
	}
	return out, nil
}
