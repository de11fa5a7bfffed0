package cargoconfig

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// Config is Cargo's configuration merged over its files.
type Config struct {
	// Files are the configuration files read, highest precedence first.
	Files []string
	// BuildRustflags is build.rustflags; nil if unset.
	BuildRustflags []string
	// TargetRustflags maps a target.<key> table key (a triple or "cfg(...)") to its rustflags.
	TargetRustflags map[string][]string
	// Env is the [env] table, relative paths already resolved.
	Env map[string]EnvValue
	// TargetLinker maps a target.<key> table key to its linker, a path with a
	// '/' made absolute against the directory holding .cargo/.
	TargetLinker map[string]string
	// LinksOverrides maps a target triple, then a `links` name, to the
	// target.<triple>.<links> table that replaces that package's build script
	// (cargo: util/context/target.rs, parse_links_overrides); later files'
	// keys win.
	LinksOverrides map[string]map[string]map[string]any
	// Sources are the [source.<name>] tables (sources.go); later files' win.
	Sources map[string]SourceDef
	// Registries maps [registries.<name>] to its index URL.
	Registries map[string]string

	getenv func(string) string
}

// EnvValue is one [env] entry.
type EnvValue struct {
	Value string
	Force bool // set even when the variable is in Cargo's own environment
}

// Load reads the configuration Cargo sees when run in dir (cargo:
// util/context/mod.rs, walk_tree): .cargo/config.toml (or the older
// .cargo/config) in dir and each of its parents, then $CARGO_HOME/config.toml.
// Deeper files win for strings; arrays are joined, deeper items last. getenv
// looks up CARGO_HOME and HOME, and the variables that set configuration
// (CARGO_BUILD_RUSTFLAGS, CARGO_TARGET_<TRIPLE>_RUSTFLAGS and _LINKER): their
// strings override, their lists are appended after the files'.
func Load(dir string, getenv func(string) string) (*Config, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	var files []string
	seen := map[string]bool{}
	add := func(d string) error {
		f, err := configFile(d)
		if err != nil || f == "" || seen[f] {
			return err
		}
		seen[f] = true
		files = append(files, f)
		return nil
	}
	for d := dir; ; d = filepath.Dir(d) {
		if err := add(filepath.Join(d, ".cargo")); err != nil {
			return nil, err
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	home := getenv("CARGO_HOME")
	if home == "" && getenv("HOME") != "" {
		home = filepath.Join(getenv("HOME"), ".cargo")
	}
	if home != "" {
		if err := add(home); err != nil {
			return nil, err
		}
	}

	c := &Config{Files: files, TargetRustflags: map[string][]string{}, Env: map[string]EnvValue{}, TargetLinker: map[string]string{},
		LinksOverrides: map[string]map[string]map[string]any{}, getenv: getenv}
	// Lowest precedence first, so that later files override and append.
	for k := len(files) - 1; k >= 0; k-- {
		if err := c.merge(files[k]); err != nil {
			return nil, err
		}
	}
	c.BuildRustflags = append(c.BuildRustflags, strings.Fields(getenv("CARGO_BUILD_RUSTFLAGS"))...)
	return c, nil
}

// targetEnv names the variable that sets target.<triple>.<key>.
func targetEnv(triple, key string) string {
	return "CARGO_TARGET_" + strings.NewReplacer("-", "_", ".", "_").Replace(strings.ToUpper(triple)) + "_" + key
}

// configFile returns the configuration file in a .cargo directory, "" if none.
// Cargo reads `config` when both it and `config.toml` exist.
func configFile(dotCargo string) (string, error) {
	for _, name := range []string{"config", "config.toml"} {
		p := filepath.Join(dotCargo, name)
		fi, err := os.Stat(p)
		switch {
		case err == nil && !fi.IsDir():
			return p, nil
		case err != nil && !errors.Is(err, os.ErrNotExist) && !errors.Is(err, os.ErrPermission):
			return "", fmt.Errorf("cargo configuration %s: %w", p, err)
		}
	}
	return "", nil
}

type file struct {
	Build struct {
		Rustflags any `toml:"rustflags"`
	} `toml:"build"`
	Target map[string]struct {
		Rustflags any    `toml:"rustflags"`
		Linker    string `toml:"linker"`
	} `toml:"target"`
	Env map[string]any `toml:"env"`
}

// targetKeys are target.<triple> keys that are settings, not `links` overrides.
var targetKeys = map[string]bool{"ar": true, "linker": true, "runner": true, "rustflags": true, "rustdocflags": true}

func (c *Config) merge(path string) error {
	var f file
	if _, err := toml.DecodeFile(path, &f); err != nil {
		return fmt.Errorf("cargo configuration %s: %w", path, err)
	}
	var raw struct {
		Target map[string]map[string]any `toml:"target"`
	}
	if _, err := toml.DecodeFile(path, &raw); err != nil {
		return fmt.Errorf("cargo configuration %s: %w", path, err)
	}
	for triple, t := range raw.Target {
		if strings.HasPrefix(triple, "cfg(") {
			continue // overrides are per triple only
		}
		for links, v := range t {
			table, ok := v.(map[string]any)
			if targetKeys[links] || !ok {
				continue
			}
			if c.LinksOverrides[triple] == nil {
				c.LinksOverrides[triple] = map[string]map[string]any{}
			}
			if c.LinksOverrides[triple][links] == nil {
				c.LinksOverrides[triple][links] = map[string]any{}
			}
			for k, val := range table {
				c.LinksOverrides[triple][links][k] = val
			}
		}
	}
	if err := c.mergeSources(path); err != nil {
		return err
	}
	if f.Build.Rustflags != nil {
		flags, err := stringList(f.Build.Rustflags)
		if err != nil {
			return fmt.Errorf("%s: build.rustflags: %w", path, err)
		}
		c.BuildRustflags = append(c.BuildRustflags, flags...)
	}
	// Relative [env] paths and linkers are relative to the directory holding .cargo/.
	root := filepath.Dir(filepath.Dir(path))
	for key, t := range f.Target {
		if t.Linker != "" {
			c.TargetLinker[key] = t.Linker
			if strings.Contains(t.Linker, "/") && !filepath.IsAbs(t.Linker) {
				c.TargetLinker[key] = filepath.Join(root, t.Linker)
			}
		}
		if t.Rustflags == nil {
			continue
		}
		flags, err := stringList(t.Rustflags)
		if err != nil {
			return fmt.Errorf("%s: target.%s.rustflags: %w", path, key, err)
		}
		c.TargetRustflags[key] = append(c.TargetRustflags[key], flags...)
	}
	for key, raw := range f.Env {
		v, err := envValue(raw, root)
		if err != nil {
			return fmt.Errorf("%s: env.%s: %w", path, key, err)
		}
		c.Env[key] = v
	}
	return nil
}

// stringList reads Cargo's StringList: an array of strings, or one string split on spaces.
func stringList(v any) ([]string, error) {
	switch v := v.(type) {
	case string:
		return strings.Fields(v), nil
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, fmt.Errorf("expected a list of strings, found %v", x)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("expected a string or a list of strings, found %v", v)
}

func envValue(raw any, root string) (EnvValue, error) {
	switch v := raw.(type) {
	case string:
		return EnvValue{Value: v}, nil
	case map[string]any:
		s, ok := v["value"].(string)
		if !ok {
			return EnvValue{}, fmt.Errorf("expected a string `value`")
		}
		out := EnvValue{Value: s}
		for key, x := range v {
			b, isBool := x.(bool)
			switch {
			case key == "value":
			case key == "force" && isBool:
				out.Force = b
			case key == "relative" && isBool:
				if b {
					out.Value = filepath.Join(root, s)
				}
			default:
				return EnvValue{}, fmt.Errorf("unexpected key %q", key)
			}
		}
		return out, nil
	}
	return EnvValue{}, fmt.Errorf("expected a string or a table with `value`")
}

// Rustflags returns the flags Cargo adds to every rustc call for units built
// for target (cargo: core/compiler/build_context/target_info.rs, extra_args),
// the first that is set of: CARGO_ENCODED_RUSTFLAGS, RUSTFLAGS,
// target.<triple>.rustflags (and CARGO_TARGET_<TRIPLE>_RUSTFLAGS) joined with
// every matching target.'cfg(..)'.rustflags,
// build.rustflags. cfg is `rustc --print cfg` for the target. lookup is the
// environment (os.LookupEnv): a variable set to "" still counts.
func (c *Config) Rustflags(target string, cfg []string, lookup func(string) (string, bool)) ([]string, error) {
	if v, ok := lookup("CARGO_ENCODED_RUSTFLAGS"); ok {
		if v == "" {
			return []string{}, nil
		}
		return strings.Split(v, "\x1f"), nil
	}
	if v, ok := lookup("RUSTFLAGS"); ok {
		flags := []string{}
		for _, f := range strings.Split(v, " ") {
			if f = strings.TrimSpace(f); f != "" {
				flags = append(flags, f)
			}
		}
		return flags, nil
	}
	var flags []string
	flags = append(flags, c.TargetRustflags[target]...)
	flags = append(flags, strings.Fields(c.getenv(targetEnv(target, "RUSTFLAGS")))...)
	keys := make([]string, 0, len(c.TargetRustflags))
	for k := range c.TargetRustflags {
		if strings.HasPrefix(k, "cfg(") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		ok, err := MatchCfg(k, cfg)
		if err != nil {
			return nil, fmt.Errorf("target.'%s': %w", k, err)
		}
		if ok {
			flags = append(flags, c.TargetRustflags[k]...)
		}
	}
	if len(flags) > 0 {
		return flags, nil
	}
	return append([]string{}, c.BuildRustflags...), nil
}

// EnvFor returns the [env] entries Cargo adds to a process (cargo:
// core/compiler/mod.rs, apply_env_config): all forced ones, and the others
// unless Cargo's own environment has the variable.
func (c *Config) EnvFor(lookup func(string) (string, bool)) map[string]string {
	out := map[string]string{}
	for k, v := range c.Env {
		if _, inherited := lookup(k); v.Force || !inherited {
			out[k] = v.Value
		}
	}
	return out
}

// Linker returns the linker configured for target (cargo:
// build_context/target_info.rs, target_linker): CARGO_TARGET_<TRIPLE>_LINKER or
// target.<triple>.linker, else
// the one target.'cfg(..)' table that matches; "" if none.
func (c *Config) Linker(target string, cfg []string) (string, error) {
	if l := c.getenv(targetEnv(target, "LINKER")); l != "" {
		return l, nil
	}
	if l := c.TargetLinker[target]; l != "" {
		return l, nil
	}
	var found, from string
	for k, l := range c.TargetLinker {
		if !strings.HasPrefix(k, "cfg(") {
			continue
		}
		ok, err := MatchCfg(k, cfg)
		if err != nil {
			return "", fmt.Errorf("target.'%s': %w", k, err)
		}
		if ok {
			if found != "" {
				return "", fmt.Errorf("several linkers match target %s: target.'%s' and target.'%s'", target, from, k)
			}
			found, from = l, k
		}
	}
	return found, nil
}
