package lastbuild

import (
	"fmt"
	"sort"
	"strings"
)

// maxOrigins bounds the units Explain names as where a change started.
const maxOrigins = 8

// Explain says why key's derivation differs from the last build: its own changes
// ("source changed: A → B", "flags changed"), the dependencies that changed, and the
// units further down where those changes started. cur is the record of the plan now.
func Explain(old, cur *Record, key string) []string {
	c := cur.Units[key]
	switch {
	case c == nil:
		return nil
	case old == nil:
		return []string{"no earlier build is recorded (`cargo nix-unit build` records one)"}
	case old.ContentAddressed != cur.ContentAddressed:
		return []string{fmt.Sprintf("derivation mode changed: %s → %s", mode(old.ContentAddressed), mode(cur.ContentAddressed))}
	}
	o := old.Units[key]
	if o == nil {
		return []string{"not part of the last build"}
	}
	if o.Drv == c.Drv {
		return []string{"same derivation as the last build: its output has left the store (garbage collection?) or that build stopped before it"}
	}
	reasons := own(o, c)
	changed := changedDeps(o, c)
	for _, k := range changed {
		reasons = append(reasons, fmt.Sprintf("dependency %s changed", cur.label(k)))
	}
	origins := origins(old, cur, changed)
	for i, org := range origins {
		if i == maxOrigins {
			reasons = append(reasons, fmt.Sprintf("  … and %d more", len(origins)-maxOrigins))
			break
		}
		reasons = append(reasons, "  where it started: "+org)
	}
	if len(reasons) == 0 {
		reasons = append(reasons, "the derivation changed (another platform, or another version of cargo-nix-unit)")
	}
	return reasons
}

// own lists changes of the unit itself, not of its dependencies' derivations.
func own(o, c *Inputs) []string {
	var out []string
	if strings.Join(o.Sources, " ") != strings.Join(c.Sources, " ") {
		out = append(out, fmt.Sprintf("source changed: %s → %s", list(o.Sources), list(c.Sources)))
	}
	if strings.Join(o.Tools, " ") != strings.Join(c.Tools, " ") {
		out = append(out, fmt.Sprintf("builder or toolchain changed: %s → %s", list(o.Tools), list(c.Tools)))
	}
	if o.Flags != c.Flags {
		out = append(out, "flags changed (rustc arguments, environment or build-script settings)")
	}
	for _, k := range sortedKeys(c.Deps) {
		if _, ok := o.Deps[k]; !ok {
			out = append(out, "dependency added: "+k)
		}
	}
	for _, k := range sortedKeys(o.Deps) {
		if _, ok := c.Deps[k]; !ok {
			out = append(out, "dependency removed: "+k)
		}
	}
	return out
}

// changedDeps are the dependencies present before and now whose derivation differs.
func changedDeps(o, c *Inputs) []string {
	var out []string
	for _, k := range sortedKeys(c.Deps) {
		if was, ok := o.Deps[k]; ok && was != c.Deps[k] {
			out = append(out, k)
		}
	}
	return out
}

// origins follows changed dependencies down to the units that changed themselves.
func origins(old, cur *Record, start []string) []string {
	seen := map[string]bool{}
	var out []string
	queue := append([]string(nil), start...)
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		if seen[k] {
			continue
		}
		seen[k] = true
		o, c := old.Units[k], cur.Units[k]
		if c == nil {
			continue
		}
		if o == nil {
			out = append(out, cur.label(k)+": not part of the last build")
			continue
		}
		if rs := own(o, c); len(rs) > 0 {
			out = append(out, cur.label(k)+": "+strings.Join(rs, "; "))
		}
		queue = append(queue, changedDeps(o, c)...)
	}
	sort.Strings(out)
	return out
}

func (r *Record) label(k string) string {
	if in := r.Units[k]; in != nil && in.Unit != "" {
		return in.Unit
	}
	return k
}

func mode(ca bool) string {
	if ca {
		return "content-addressed"
	}
	return "input-addressed"
}

func list(xs []string) string {
	if len(xs) == 0 {
		return "(none)"
	}
	return strings.Join(xs, " ")
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
