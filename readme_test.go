package main

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// The figures quoted about the benchmark (in the README and docs/) are copied
// from the table in docs/benchmark.md, not remembered: each quoted figure is
// recomputed from the table here. A new table means updating the quotes,
// which this test names.
//
// Mutation check: the README before this test ("0.01–0.19×", "1.3–3×", "8×",
// "2.5 s", "1,500–4,000/s") failed it, and so do the quotes of the bench run
// before this table's ("0.01–0.16×", "1.28–3.28×", "8.12×").
func TestReadmeQuotesTheBenchTable(t *testing.T) {
	var pages []string
	for _, f := range []string{"README.md", "docs/benchmark.md", "docs/comparison.md", "docs/limitations.md"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, string(b))
	}
	readme := strings.Join(pages, "\n")
	i := strings.Index(pages[1], "| workspace |")
	if i < 0 {
		t.Fatal("docs/benchmark.md has no benchmark table")
	}
	// Rows: workspace | scenario | cargo | cargo-nix-unit | ratio.
	type row struct{ workspace, scenario, cargo, tool, ratio string }
	var rows []row
	for _, l := range strings.Split(pages[1][i:], "\n") {
		c := strings.Split(l, "|")
		if len(c) != 7 || strings.HasPrefix(strings.TrimSpace(c[1]), "---") || strings.TrimSpace(c[1]) == "workspace" {
			continue
		}
		rows = append(rows, row{strings.TrimSpace(c[1]), strings.TrimSpace(c[2]), strings.TrimSpace(c[3]), strings.TrimSpace(c[4]), strings.TrimSpace(c[5])})
	}
	if len(rows) < 10 {
		t.Fatalf("found %d rows in the benchmark table", len(rows))
	}
	find := func(workspace, scenario string) row {
		for _, r := range rows {
			if r.workspace == workspace && r.scenario == scenario {
				return r
			}
		}
		t.Fatalf("no row %s / %s in the benchmark table", workspace, scenario)
		return row{}
	}
	// span is "min–max" of the ratios of the rows keep selects, as printed.
	span := func(keep func(r row) bool) string {
		lo, hi := "", ""
		var lov, hiv float64
		for _, r := range rows {
			if !keep(r) {
				continue
			}
			v, err := strconv.ParseFloat(strings.TrimSuffix(r.ratio, "×"), 64)
			if err != nil {
				t.Fatalf("ratio %q of %s / %s: %v", r.ratio, r.workspace, r.scenario, err)
			}
			if lo == "" || v < lov {
				lo, lov = r.ratio, v
			}
			if hi == "" || v > hiv {
				hi, hiv = r.ratio, v
			}
		}
		return strings.TrimSuffix(lo, "×") + "–" + hi
	}
	const worst = "DAG of 1000 crates"
	edit := func(r row) bool { return strings.HasPrefix(r.scenario, "edit ") }
	for _, want := range []string{
		"A no-op is a fingerprint check: " + span(func(r row) bool { return r.scenario == "no-op" }) + " Cargo's own no-op",
		"Cold builds take " + span(func(r row) bool { return r.workspace != worst && r.scenario == "cold" }) + " Cargo on real-sized graphs",
		"an edit takes " + span(func(r row) bool { return r.workspace != worst && edit(r) }) + " Cargo",
		"take " + span(func(r row) bool { return r.workspace != worst && edit(r) }) + " Cargo: below it",
		"so a cold build takes " + find(worst, "cold").ratio + " Cargo",
		"takes " + find(worst, "cold").ratio + " Cargo's time",
		span(func(r row) bool {
			return r.scenario == "cold from the cache (all substituted)" && (r.workspace == worst || r.workspace == "corpus + app workspace")
		}) + " Cargo's cold build on the large workspaces and " + find("examples/workspace", "cold from the cache (all substituted)").ratio + " on examples/workspace",
		"nothing compiles: " + find("corpus + app workspace", "cold from the cache (all substituted)").ratio + " Cargo's cold build on a workspace of real crates",
		"(" + strings.Fields(find("registration of 200 derivations", "derivations/s").tool)[0] + "/s in the [benchmark](benchmark.md) run)",
		"one daemon connection (" + strings.Fields(find("registration of 200 derivations", "derivations/s").ratio)[0] + " `nix",
		"memory stays flat (" + find(worst, "peak memory of cargo-nix-unit itself").tool + " at 1,000 units)",
	} {
		if !strings.Contains(strings.Join(strings.Fields(readme), " "), want) {
			t.Errorf("neither the README nor docs/ say %q, as the benchmark table does", want)
		}
	}
}
