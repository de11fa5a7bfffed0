package unitgraph

import (
	"os"
	"strings"
	"testing"
)

// testdata/ws1.*.json were captured from cargo 1.95 on a workspace with a lib whose
// build script has `links`, a proc-macro, and a bin using both.
func load(t testing.TB) ([]byte, []byte) {
	t.Helper()
	g, err := os.ReadFile("testdata/ws1.unitgraph.json")
	if err != nil {
		t.Fatal(err)
	}
	m, err := os.ReadFile("testdata/ws1.metadata.json")
	if err != nil {
		t.Fatal(err)
	}
	return g, m
}

func TestParseJoinsMetadata(t *testing.T) {
	g, err := Parse(load(t))
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for i := range g.Units {
		u := &g.Units[i]
		if u.Package == nil || u.Package.ID != u.PkgID || !u.Package.Member {
			t.Errorf("unit %d not joined with its member package", i)
		}
		kinds = append(kinds, u.String())
	}
	want := "a v0.1.0 (lib)|a v0.1.0 (build script)|a v0.1.0 (build script run)|b v0.1.0 (bin b)|m v0.1.0 (proc-macro)"
	if got := strings.Join(kinds, "|"); got != want {
		t.Errorf("units\n got %s\nwant %s", got, want)
	}
	u := g.Units[0]
	if u.Profile.Debuginfo != "2" || u.Profile.Strip != "none" || !u.Profile.DebugAssertions {
		t.Errorf("profile not decoded: %+v", u.Profile)
	}
	if links := Str(u.Package.Links); links != "aa" {
		t.Errorf("links = %q", links)
	}
	order, err := g.TopoOrder()
	if err != nil {
		t.Fatal(err)
	}
	pos := map[int]int{}
	for k, i := range order {
		pos[i] = k
	}
	for i, u := range g.Units {
		for _, d := range u.Dependencies {
			if pos[d.Index] > pos[i] {
				t.Errorf("unit %d comes before its dependency %d", i, d.Index)
			}
		}
	}
}

func TestParseRejects(t *testing.T) {
	graph, md := load(t)
	for _, tc := range []struct {
		name        string
		graph, meta string
		want        string
	}{
		{"unknown version", strings.Replace(string(graph), `"version":1`, `"version":2`, 1), string(md), "version 2; cargo-nix-unit understands version 1 only"},
		{"not json", "cargo said no", string(md), "reading cargo's unit graph"},
		{"package missing from metadata", string(graph), `{"version":1,"packages":[]}`, "is not in cargo metadata"},
		{"bad index", strings.Replace(string(graph), `"index":1`, `"index":99`, 1), string(md), "out of range"},
	} {
		_, err := Parse([]byte(tc.graph), []byte(tc.meta))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestStrip(t *testing.T) {
	for in, want := range map[string]Strip{`{"deferred":"None"}`: "none", `{"resolved":{"Named":"debuginfo"}}`: "debuginfo", `{"resolved":"None"}`: "none"} {
		var s Strip
		if err := s.UnmarshalJSON([]byte(in)); err != nil || s != want {
			t.Errorf("%s → %q, %v; want %q", in, s, err, want)
		}
	}
}
