package plan

import (
	"fmt"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// Keys names each unit uniquely and stably across edits, starting from its
// derivation's base name (DrvName). Where several units share one, what tells
// them apart is appended: "@<mode>" unless build; "@host" for the host's copy
// of a unit that is also built for one target triple ("@<triple>" with several);
// "@opt<level>", "@debuginfo<n>", "@features=<list>" — each only where it varies
// among them, until they differ — and "#n" in Cargo's order last.
func Keys(g *unitgraph.Graph) []string {
	keys := make([]string, len(g.Units))
	for i := range g.Units {
		keys[i] = DrvName(&g.Units[i])
	}
	groups := map[string][]int{}
	for i, k := range keys {
		groups[k] = append(groups[k], i)
	}
	traits := []struct {
		value func(u *unitgraph.Unit) string
		plain func(vals map[string]bool) string // the value that adds nothing
	}{
		{func(u *unitgraph.Unit) string { return u.Mode }, always("build")},
		{platformTrait, onlyTriple},
		{func(u *unitgraph.Unit) string { return "opt" + u.Profile.OptLevel }, always("\x00")},
		{func(u *unitgraph.Unit) string { return "debuginfo" + string(u.Profile.Debuginfo) }, always("\x00")},
		{func(u *unitgraph.Unit) string { return "features=" + strings.Join(u.Features, ",") }, always("\x00")},
	}
	for _, idx := range groups {
		if len(idx) < 2 {
			continue
		}
		for _, tr := range traits {
			vals := map[string]bool{}
			for _, i := range idx {
				vals[tr.value(&g.Units[i])] = true
			}
			if len(vals) < 2 {
				continue
			}
			plain := tr.plain(vals)
			seen := map[string]bool{}
			for _, i := range idx {
				if v := tr.value(&g.Units[i]); v != plain {
					keys[i] += "@" + v
				}
				seen[keys[i]] = true
			}
			if len(seen) == len(idx) {
				break
			}
		}
	}
	count, n := map[string]int{}, map[string]int{}
	for _, k := range keys {
		count[k]++
	}
	for i, k := range keys {
		if count[k] > 1 {
			n[k]++
			keys[i] = fmt.Sprintf("%s#%d", k, n[k])
		}
	}
	return keys
}

func always(v string) func(map[string]bool) string {
	return func(map[string]bool) string { return v }
}

// platformTrait is "host" for host units, else the target triple.
func platformTrait(u *unitgraph.Unit) string {
	if u.Platform == nil {
		return "host"
	}
	return *u.Platform
}

// onlyTriple makes the one target triple of a --target build the plain value:
// the host's copies are the ones marked.
func onlyTriple(vals map[string]bool) string {
	if len(vals) == 2 && vals["host"] {
		for v := range vals {
			if v != "host" {
				return v
			}
		}
	}
	return "\x00"
}

// Names turns unit keys into derivation names, unique in the plan: the key
// with what Nix does not allow in a store path name replaced.
func Names(keys []string) []string {
	legal := strings.NewReplacer("@", "-", "#", "-", ",", "+")
	names := make([]string, len(keys))
	seen := map[string]bool{}
	for i, k := range keys {
		base := SanitizeName(legal.Replace(k))
		name := base
		for n := 2; seen[name]; n++ { // only if sanitising made two keys equal
			name = fmt.Sprintf("%s-%d", base, n)
		}
		seen[name] = true
		names[i] = name
	}
	return names
}

// DrvName is a unit's base name: "<package>-<version>-<what>".
func DrvName(u *unitgraph.Unit) string {
	what := u.Kind()
	switch what {
	case "lib", "proc-macro", "doctest", "build-script", "build-script-run":
		if u.Target.CrateName() != strings.ReplaceAll(u.Package.Name, "-", "_") && !strings.HasPrefix(what, "build-script") {
			what += "-" + u.Target.Name
		}
	default:
		what += "-" + u.Target.Name
	}
	return SanitizeName(fmt.Sprintf("%s-%s-%s", u.Package.Name, u.Package.Version, what))
}

// SanitizeName keeps only the characters Nix allows in store path names.
func SanitizeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("+-._?=", r):
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	out := strings.TrimLeft(b.String(), ".")
	if len(out) > 200 {
		out = out[:200]
	}
	return out
}
