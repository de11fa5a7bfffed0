package e2e

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The daemon client and `nix derivation add` register the same derivations.
// Each client registers into its own empty chroot store (`local?root=DIR`), so
// each adds every derivation itself (Register skips what a store already
// holds), and the test compares what Nix holds in each store, not only the
// paths the tool computed and printed.
//
// Mutation checks: with CLI.AddDerivation returning nil before `nix derivation
// add`, or with the daemon client's AddDerivation doing so, the store listings
// differ and lack the printed derivations.
func TestStoreClientsAgree(t *testing.T) {
	requireTools(t)
	ws := copyWorkspace(t, "workspace")
	printed := map[string][]string{}
	held := map[string][]string{}
	for _, client := range []string{"daemon", "cli"} {
		root := filepath.Join(t.TempDir(), "store-"+client)
		store := "local?root=" + root
		r := cnuEnv(t, ws, []string{"NIX_REMOTE=" + store}, "build", "--dry-run", "--store-client="+client)
		if r.code != 0 {
			t.Fatalf("--store-client=%s: exit %d\n%s", client, r.code, r.stderr)
		}
		if strings.Contains(r.stderr, "cannot use the Nix daemon protocol") {
			t.Errorf("--store-client=%s fell back to the CLI:\n%s", client, r.stderr)
		}
		printed[client] = strings.Fields(r.stdout)
		if n := len(printed[client]); n < 2 {
			t.Fatalf("--store-client=%s: the dry run printed %d derivations:\n%s", client, n, r.stdout)
		}
		// What the store holds, as Nix lists it.
		q := run(t, ws, nil, "nix", "--extra-experimental-features", "nix-command", "path-info", "--all", "--store", store)
		if q.code != 0 {
			t.Fatalf("nix path-info --all --store %s: %s", store, q.stderr)
		}
		var drvs []string
		for _, p := range strings.Fields(q.stdout) {
			if strings.HasSuffix(p, ".drv") && !strings.HasSuffix(p, "-cargo-nix-unit-ca-probe.drv") {
				drvs = append(drvs, p)
			}
		}
		slices.Sort(drvs)
		held[client] = drvs
		want := slices.Sorted(slices.Values(printed[client]))
		if !slices.Equal(drvs, want) {
			t.Errorf("--store-client=%s: the store holds derivations\n%s\nthe tool printed\n%s",
				client, strings.Join(drvs, "\n"), strings.Join(want, "\n"))
		}
		// Nix reads each one back: the root's closure is every printed derivation.
		show := run(t, ws, nil, "nix", "--extra-experimental-features", "nix-command ca-derivations",
			"derivation", "show", "-r", "--store", store, printed[client][len(printed[client])-1])
		if show.code != 0 {
			t.Fatalf("nix derivation show --store %s: %s", store, show.stderr)
		}
		for _, d := range printed[client] {
			if !strings.Contains(show.stdout, `"`+d+`"`) {
				t.Errorf("--store-client=%s: nix derivation show -r of the root lacks %s", client, d)
			}
		}
	}
	if !slices.Equal(printed["daemon"], printed["cli"]) {
		t.Errorf("computed derivation paths differ\ndaemon:\n%s\ncli:\n%s", strings.Join(printed["daemon"], "\n"), strings.Join(printed["cli"], "\n"))
	}
	if !slices.Equal(held["daemon"], held["cli"]) {
		t.Errorf("the stores hold different derivations\ndaemon:\n%s\ncli:\n%s", strings.Join(held["daemon"], "\n"), strings.Join(held["cli"], "\n"))
	}
}
