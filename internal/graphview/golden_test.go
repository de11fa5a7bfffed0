package graphview

import (
	"bytes"
	"crypto/sha256"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// fixtures are unit graphs captured from cargo 1.95: ws1 (a lib with a `links` build
// script, a proc-macro, a bin) and examples/workspace built and tested (paths → /ws).
var fixtures = []struct{ name, graph, metadata string }{
	{"ws1", "../unitgraph/testdata/ws1.unitgraph.json", "../unitgraph/testdata/ws1.metadata.json"},
	{"workspace", "testdata/workspace.unitgraph.json", "testdata/workspace.metadata.json"},
	{"workspace-test", "testdata/workspace-test.unitgraph.json", "testdata/workspace.metadata.json"},
}

// fixtureView joins a fixture with made-up store paths: workspace members are to
// build, the rest cached; odd-length keys are input-addressed in the made-up outputs.
func fixtureView(t *testing.T, graph, metadata string, ca bool) *View {
	t.Helper()
	gb, err := os.ReadFile(graph)
	if err != nil {
		t.Fatal(err)
	}
	mb, err := os.ReadFile(metadata)
	if err != nil {
		t.Fatal(err)
	}
	g, err := unitgraph.Parse(gb, mb)
	if err != nil {
		t.Fatal(err)
	}
	info := func(n *plan.Node) UnitInfo {
		i, name := n.Index, n.Name
		in := UnitInfo{DrvPath: fakePath(name+string(rune('0'+i%10)), name+".drv"), Valid: true, Status: StatusCached}
		if !ca {
			in.Out = fakePath(name+"out", name)
		}
		if n.Unit.Package.Member {
			in.Status, in.Valid = StatusToBuild, i%2 == 0
		}
		return in
	}
	root := UnitInfo{DrvPath: fakePath("root", "workspace.drv")}
	if !ca {
		root.Out = fakePath("rootout", "workspace")
	}
	v, err := New(plan.Skeleton(g), info, root, ca)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// fakePath makes a store path whose hash part depends only on seed.
func fakePath(seed, name string) string {
	const alphabet = "0123456789abcdfghijklmnpqrsvwxyz" // nixbase32
	sum := sha256.Sum256([]byte(seed))
	var b strings.Builder
	for _, c := range sum[:32] {
		b.WriteByte(alphabet[c%32])
	}
	return "/nix/store/" + b.String() + "-" + name
}

func golden(t *testing.T, file string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", file)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(g) || i < len(w); i++ {
			if i >= len(g) || i >= len(w) || g[i] != w[i] {
				t.Errorf("%s differs from the output at line %d (go test -update rewrites it; review the diff):\n got %q\nwant %q",
					path, i+1, line(g, i), line(w, i))
				return
			}
		}
	}
}

func line(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "(end of file)"
}

func TestGolden(t *testing.T) {
	for _, f := range fixtures {
		t.Run(f.name, func(t *testing.T) {
			v := fixtureView(t, f.graph, f.metadata, f.name != "ws1")
			var b bytes.Buffer
			check := func(file string, err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
				golden(t, f.name+file, b.Bytes())
				b.Reset()
			}
			check(".dot", v.DOT(&b, DOTOptions{}))
			check(".status.dot", v.DOT(&b, DOTOptions{Status: true}))
			check(".json", v.JSON(&b))
			check(".summary.txt", v.Summary(&b, nil))
		})
	}
}

// The JSON view of an input-addressed plan names output paths.
func TestGoldenInputAddressed(t *testing.T) {
	v := fixtureView(t, fixtures[1].graph, fixtures[1].metadata, false)
	var b bytes.Buffer
	if err := v.JSON(&b); err != nil {
		t.Fatal(err)
	}
	golden(t, "workspace-ia.json", b.Bytes())
}

func TestGoldenWhy(t *testing.T) {
	v := fixtureView(t, fixtures[1].graph, fixtures[1].metadata, true)
	explain := func(key string) []string { return []string{"explained " + key} }
	var b bytes.Buffer
	for _, q := range []string{"greeter", "proc-macro2-1.0.47-lib", "app v1.0.0 (bin app)", "serde@1.0.152"} {
		b.WriteString("$ graph --why " + q + "\n")
		if err := v.Why(&b, q, WhyOptions{Explain: explain}); err != nil {
			t.Fatal(err)
		}
		b.WriteString("\n")
	}
	golden(t, "workspace.why.txt", b.Bytes())
}

func TestWhyUnknown(t *testing.T) {
	v := fixtureView(t, fixtures[0].graph, fixtures[0].metadata, true)
	err := v.Why(&bytes.Buffer{}, "nope", WhyOptions{})
	if err == nil || !strings.Contains(err.Error(), "--why nope: no unit or package") {
		t.Errorf("error %v", err)
	}
}

// On a terminal the summary is styled; the words stay the same.
func TestSummaryStyled(t *testing.T) {
	v := fixtureView(t, fixtures[0].graph, fixtures[0].metadata, true)
	r := lipgloss.NewRenderer(&bytes.Buffer{})
	r.SetColorProfile(termenv.ANSI256)
	var styled, plain bytes.Buffer
	if err := v.Summary(&styled, r); err != nil {
		t.Fatal(err)
	}
	if err := v.Summary(&plain, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(styled.String(), "\x1b[") {
		t.Errorf("styled summary has no escape sequences:\n%s", styled.String())
	}
	if stripped := stripANSI(styled.String()); stripped != plain.String() {
		t.Errorf("styled summary says something else than the plain one:\n%s\n---\n%s", stripped, plain.String())
	}
}

func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b {
			for i < len(s) && s[i] != 'm' {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
