package outputs

import (
	"context"
	"reflect"
	"sort"
	"testing"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"
)

// fakeStore holds a fixed set of valid paths.
type fakeStore map[string]bool

func (s fakeStore) ValidPaths(_ context.Context, paths []string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, p := range paths {
		if s[p] {
			out[p] = true
		}
	}
	return out, nil
}
func (fakeStore) AddPath(context.Context, string, string, string) error { panic("read only") }
func (fakeStore) AddFlat(context.Context, string, string, string) error { panic("read only") }
func (fakeStore) AddDerivation(context.Context, *nixdrv.Derivation, string) error {
	panic("read only")
}

func TestQuery(t *testing.T) {
	s := fakeStore{
		"/s/ia-built.drv": true, "/s/ia-built": true, // input-addressed, output present
		"/s/ia-unbuilt.drv": true, // registered, output missing
		"/s/ca-built.drv":   true, "/s/ca-built-out": true,
		"/s/ca-gone.drv":    true, // realised, output garbage-collected
		"/s/ca-unbuilt.drv": true,
	}
	drvs := []Derivation{
		{Path: "/s/ia-built.drv", Out: "/s/ia-built"},
		{Path: "/s/ia-unbuilt.drv", Out: "/s/ia-unbuilt"},
		{Path: "/s/ia-new.drv", Out: "/s/ia-new"},
		{Path: "/s/ca-built.drv"},
		{Path: "/s/ca-gone.drv"},
		{Path: "/s/ca-unbuilt.drv"},
		{Path: "/s/ca-new.drv"}, // not registered: never asked
	}
	var asked []string
	DryRun = func(_ context.Context, nix string, inst []string) ([]byte, error) {
		asked = inst
		// Captured from nix 2.26 `build --dry-run --json`, paths shortened.
		return []byte(`[{"drvPath":"/s/ca-built.drv","outputs":{"out":"/s/ca-built-out"}},` +
			`{"drvPath":"/s/ca-gone.drv","outputs":{"out":"/s/ca-gone-out"}},` +
			`{"drvPath":"/s/ca-unbuilt.drv","outputs":{"out":null}}]`), nil
	}
	st, err := Query(context.Background(), s, "nix", drvs)
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(asked)
	if want := []string{"/s/ca-built.drv^out", "/s/ca-gone.drv^out", "/s/ca-unbuilt.drv^out"}; !reflect.DeepEqual(asked, want) {
		t.Errorf("asked nix about %q, want %q", asked, want)
	}
	cached := map[string]bool{"/s/ia-built.drv": true, "/s/ca-built.drv": true}
	for _, d := range drvs {
		if st.Cached[d.Path] != cached[d.Path] {
			t.Errorf("%s: cached %v", d.Path, st.Cached[d.Path])
		}
		if st.Registered[d.Path] != s[d.Path] {
			t.Errorf("%s: registered %v", d.Path, st.Registered[d.Path])
		}
	}
}

func TestParseDryRunRejectsGarbage(t *testing.T) {
	if err := parseDryRun([]byte("these 3 derivations will be built"), map[string]string{}); err == nil {
		t.Error("no error")
	}
}
