package share

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Warnings of Nix 2.26 about substituters (nix: libstore/filetransfer.cc,
// build/substitution-goal.cc). A retried download repeats its warning with
// "; retrying in N ms"; only the last attempt counts.
var (
	unreachableRe = regexp.MustCompile(`^(?:error: )?unable to download '(.+?)/nix-cache-info': (.*)$`)
	unsignedRe    = regexp.MustCompile(`^ignoring substitute for '(/[^']+)' from '([^']+)', as it's not signed by any of the keys in 'trusted-public-keys'$`)
	retryRe       = regexp.MustCompile(`; retrying in \d+ ms$`)
	// Nix (build-remote.cc) for each derivation no builder takes.
	noMachineRe = regexp.MustCompile(`^Failed to find a machine for remote build!\s+derivation: \S+\s+required \(system, features\): \((.*?)\)\s+(\d+ available machines:.*)$`)
)

// Notices turns Nix's warnings during a build into what the user needs to
// read, one line per cause: an unreachable substituter once (not once per
// retry), unsigned substitutes counted per substituter, and any other warning
// once. Each says that what the cache would have supplied was built here.
func Notices(warnings []string) []string {
	var out []string
	seen := map[string]bool{}
	unsigned := map[string]int{}
	var subs []string
	noMachine := map[string]int{}
	var needs []string
	for _, w := range warnings {
		w = strings.TrimSpace(w)
		if retryRe.MatchString(w) {
			continue
		}
		var line string
		if m := unreachableRe.FindStringSubmatch(w); m != nil {
			line = fmt.Sprintf("substituter %s is unreachable (%s); what it would have supplied is built here", m[1], oneLine(m[2]))
		} else if m := noMachineRe.FindStringSubmatch(oneLine(w)); m != nil {
			key := m[1] + "\x00" + m[2]
			if noMachine[key] == 0 {
				needs = append(needs, key)
			}
			noMachine[key]++
			continue
		} else if m := unsignedRe.FindStringSubmatch(w); m != nil {
			if unsigned[m[2]] == 0 {
				subs = append(subs, m[2])
			}
			unsigned[m[2]]++
			continue
		} else {
			line = oneLine(w)
		}
		if !seen[line] {
			seen[line] = true
			out = append(out, line)
		}
	}
	for _, k := range needs {
		need, machines, _ := strings.Cut(k, "\x00")
		out = append(out, fmt.Sprintf("no remote builder takes %d %s needing (system, features) (%s); %s",
			noMachine[k], plural(noMachine[k], "derivation"), need, machines))
	}
	sort.Strings(subs)
	for _, s := range subs {
		n := unsigned[s]
		paths := "paths"
		if n == 1 {
			paths = "path"
		}
		out = append(out, fmt.Sprintf("substituter %s offered %d %s not signed by a key in trusted-public-keys; they were built here (trust the cache's public key, or push with a key you trust)", s, n, paths))
	}
	return out
}

// Unreachable lists the substituters that Nix's warnings say it could not reach.
func Unreachable(warnings []string) map[string]bool {
	out := map[string]bool{}
	for _, w := range warnings {
		if m := unreachableRe.FindStringSubmatch(strings.TrimSpace(retryRe.ReplaceAllString(w, ""))); m != nil {
			out[m[1]] = true
		}
	}
	return out
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
