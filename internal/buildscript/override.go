package buildscript

import (
	"fmt"
	"sort"
)

// FromOverride builds the Output that a target.<triple>.<links> table of Cargo's
// configuration gives instead of running the package's build script (cargo:
// util/context/target.rs, parse_links_overrides). Keys are read in sorted
// order; unknown keys are metadata, as `cargo::metadata` would give.
func FromOverride(table map[string]any) (*Output, error) {
	o := &Output{}
	p := &parser{out: o}
	keys := make([]string, 0, len(table))
	for k := range table {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		v := table[key]
		var err error
		switch key {
		case "rustc-flags":
			var s string
			if s, err = str(key, v); err == nil {
				err = p.rustcFlags(s)
			}
		case "rustc-link-lib":
			err = appendList(&o.LinkLibs, key, v)
		case "rustc-link-search":
			err = appendList(&o.LinkSearch, key, v)
		case "rustc-cfg":
			err = appendList(&o.Cfgs, key, v)
		case "rustc-check-cfg":
			err = appendList(&o.CheckCfgs, key, v)
		case "rustc-link-arg", "rustc-link-arg-bins", "rustc-link-arg-cdylib", "rustc-cdylib-link-arg":
			only := map[string]string{"rustc-link-arg": OnlyAll, "rustc-link-arg-bins": OnlyBins}[key]
			if key == "rustc-link-arg-cdylib" || key == "rustc-cdylib-link-arg" {
				only = OnlyCdylib
			}
			var args []string
			if err = appendList(&args, key, v); err == nil {
				for _, a := range args {
					o.LinkArgs = append(o.LinkArgs, LinkArg{Only: only, Arg: a})
				}
			}
		case "rustc-env":
			env, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("`rustc-env` must be a table of strings")
			}
			names := make([]string, 0, len(env))
			for n := range env {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				s, err := str("rustc-env."+n, env[n])
				if err != nil {
					return nil, err
				}
				o.Env = append(o.Env, EnvVar{Key: n, Value: s})
			}
		case "warning", "rerun-if-changed", "rerun-if-env-changed":
			return nil, fmt.Errorf("`%s` is not supported in build script overrides", key)
		default:
			var s string
			if s, err = str(key, v); err == nil {
				o.Metadata = append(o.Metadata, EnvVar{Key: key, Value: s})
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return o, nil
}

func str(key string, v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("`%s` must be a string, not %T", key, v)
	}
	return s, nil
}

func appendList(dst *[]string, key string, v any) error {
	list, ok := v.([]any)
	if !ok {
		return fmt.Errorf("`%s` must be a list of strings", key)
	}
	for _, item := range list {
		s, err := str(key, item)
		if err != nil {
			return err
		}
		*dst = append(*dst, s)
	}
	return nil
}
