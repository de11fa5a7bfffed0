package buildscript

import (
	"strings"
	"unicode"
)

// DepEnv is what the build scripts of a package's direct dependents receive from
// its build script run: DEP_<LINKS>_<KEY>=VALUE for each metadata pair, nothing
// when the package has no `links` (cargo: core/compiler/custom_build.rs,
// build_work). A later pair with the same variable overrides an earlier one; the
// result has each variable once, where it first appeared, with its last value.
func (o *Output) DepEnv(links string) []EnvVar {
	if links == "" {
		return nil
	}
	var env []EnvVar
	index := map[string]int{}
	for _, m := range o.Metadata {
		key := "DEP_" + envify(links) + "_" + envify(m.Key)
		if i, ok := index[key]; ok {
			env[i].Value = m.Value
			continue
		}
		index[key] = len(env)
		env = append(env, EnvVar{key, m.Value})
	}
	return env
}

// envify is cargo's envify (core/compiler/mod.rs): Rust's full Unicode upper
// case of each character, then '-' becomes '_'. Nothing else is replaced.
func envify(s string) string {
	var b strings.Builder
	for _, r := range s {
		if u, ok := rustUpper[r]; ok {
			b.WriteString(u)
			continue
		}
		if r = unicode.ToUpper(r); r == '-' {
			r = '_'
		}
		b.WriteRune(r)
	}
	return b.String()
}
