package graphview

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
)

// summaryWidth is where item lists wrap; fixed so the output does not depend on the terminal.
const summaryWidth = 80

// maxListed bounds the "to build" list; a first build would otherwise list every unit.
const maxListed = 12

// painter styles the summary's parts; the zero painter writes plain text.
type painter struct {
	head, good, bad, faint lipgloss.Style
	on                     bool
}

func newPainter(r *lipgloss.Renderer) painter {
	if r == nil {
		return painter{}
	}
	return painter{
		head:  r.NewStyle().Bold(true),
		good:  r.NewStyle().Foreground(lipgloss.Color("2")),
		bad:   r.NewStyle().Foreground(lipgloss.Color("208")).Bold(true),
		faint: r.NewStyle().Faint(true),
		on:    true,
	}
}

func (p painter) paint(s lipgloss.Style, text string) string {
	if !p.on {
		return text
	}
	return s.Render(text)
}

// Summary writes counts per kind and per package, the longest chain of units and what
// the store lacks. r styles it (lipgloss.NewRenderer(stdout) on a terminal); nil: plain.
func (v *View) Summary(w io.Writer, r *lipgloss.Renderer) error {
	p := newPainter(r)
	var b strings.Builder
	members, deps := v.packages()
	mode := "input-addressed"
	if v.CA {
		mode = "content-addressed"
	}
	fmt.Fprintf(&b, "%s in %s (%s), %s derivations\n\n",
		p.paint(p.head, plural(len(v.Nodes), "unit")), plural(len(members)+len(deps), "package"), plural(len(members), "workspace member"), mode)

	kinds := map[string]int{}
	for _, n := range v.Nodes {
		kinds[kindName(n)]++
	}
	var kindItems []string
	for k := range kinds {
		kindItems = append(kindItems, k)
	}
	sort.Slice(kindItems, func(a, c int) bool {
		if kinds[kindItems[a]] != kinds[kindItems[c]] {
			return kinds[kindItems[a]] > kinds[kindItems[c]]
		}
		return kindItems[a] < kindItems[c]
	})
	for i, k := range kindItems {
		kindItems[i] = fmt.Sprintf("%d %s", kinds[k], k)
	}
	writeList(&b, p, "Kinds", kindItems)
	writeList(&b, p, "Members", packageItems(members))
	writeList(&b, p, "Deps", packageItems(deps))

	if chain := v.LongestChain(); len(chain) > 0 {
		fmt.Fprintf(&b, "\n%s (%s, one after another):\n", p.paint(p.head, "Longest chain"), plural(len(chain), "unit"))
		for i, n := range chain {
			arrow := "  "
			if i > 0 {
				arrow = p.paint(p.faint, "→ ")
			}
			fmt.Fprintf(&b, "  %s%s\n", arrow, n.Label)
		}
	}
	v.writeStatus(&b, p)
	_, err := io.WriteString(w, b.String())
	return err
}

func (v *View) writeStatus(b *strings.Builder, p painter) {
	var todo []string
	cached := 0
	for _, n := range v.Nodes {
		switch n.Status {
		case StatusUnknown:
			return
		case StatusCached:
			cached++
		case StatusToBuild:
			todo = append(todo, n.Label)
		}
	}
	sort.Strings(todo)
	b.WriteString("\n")
	if len(todo) == 0 {
		all := fmt.Sprintf("all %d units cached", cached)
		if cached == 1 {
			all = "1 unit cached"
		}
		fmt.Fprintf(b, "%s %s\n", pad(p, "Store"), p.paint(p.good, all))
		return
	}
	fmt.Fprintf(b, "%s %s · %s\n", pad(p, "Store"), p.paint(p.good, fmt.Sprintf("%d cached", cached)), p.paint(p.bad, fmt.Sprintf("%d to build", len(todo))))
	for i, l := range todo {
		label := ""
		if i == 0 {
			label = "To build"
		}
		if i == maxListed {
			fmt.Fprintf(b, "%s %s\n", pad(p, ""), p.paint(p.faint, fmt.Sprintf("… and %d more (graph --json lists them)", len(todo)-maxListed)))
			break
		}
		fmt.Fprintf(b, "%s %s\n", pad(p, label), l)
	}
}

// LongestChain is the longest path of units, by count, dependencies first: the units
// that must be built one after another whatever the parallelism. Ties go to the
// smallest keys, so the answer is deterministic.
func (v *View) LongestChain() []*Node {
	depth := map[string]int{}
	next := map[string]string{} // the dependency the chain continues with
	var visit func(n *Node) int
	visit = func(n *Node) int {
		if d, ok := depth[n.Key]; ok {
			return d
		}
		best := 0
		for _, e := range n.Deps { // sorted by key: the first of equal depth wins
			if d := visit(v.byKey[e.To]); d > best {
				best, next[n.Key] = d, e.To
			}
		}
		depth[n.Key] = best + 1
		return best + 1
	}
	var end *Node
	for _, n := range v.Nodes {
		if d := visit(n); end == nil || d > depth[end.Key] {
			end = n
		}
	}
	var chain []*Node
	for n := end; n != nil; n = v.byKey[next[n.Key]] {
		chain = append(chain, n)
	}
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	return chain
}

// kindName is the kind as the summary counts it: "build script run", "lib test".
func kindName(n *Node) string {
	k := n.Unit.Kind()
	if strings.HasPrefix(k, "build-script") || strings.HasSuffix(k, "-test") {
		return strings.ReplaceAll(k, "-", " ")
	}
	return k
}

func packageItems(pkgs []packageGroup) []string {
	items := make([]string, len(pkgs))
	for i, g := range pkgs {
		items[i] = fmt.Sprintf("%s (%d)", g.name, len(g.nodes))
	}
	return items
}

// writeList writes "Label      a · b · c", wrapped at summaryWidth under the first item.
func writeList(b *strings.Builder, p painter, label string, items []string) {
	if len(items) == 0 {
		return
	}
	line, width := pad(p, label), 11
	for i, it := range items {
		sep := " "
		if i > 0 {
			sep = " · "
		}
		n := utf8.RuneCountInString(sep + it)
		if i > 0 && width+n > summaryWidth {
			b.WriteString(line + "\n")
			line, width, sep, n = pad(p, ""), 11, " ", 1+utf8.RuneCountInString(it)
		}
		line += sep + it
		width += n
	}
	b.WriteString(line + "\n")
}

// pad writes a label in a 10-column field.
func pad(p painter, label string) string {
	return p.paint(p.head, fmt.Sprintf("%-10s", label))
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
