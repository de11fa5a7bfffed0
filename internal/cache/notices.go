package cache

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
	for _, w := range warnings {
		w = strings.TrimSpace(w)
		if retryRe.MatchString(w) {
			continue
		}
		var line string
		if m := unreachableRe.FindStringSubmatch(w); m != nil {
			line = fmt.Sprintf("substituter %s is unreachable (%s); what it would have supplied is built here", m[1], oneLine(m[2]))
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
