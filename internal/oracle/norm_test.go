package oracle

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// normInv is an invocation with paths and hashes replaced by names that both
// sides share: {deps}, {OUT_DIR:pkg}, {build-script:pkg}, {out-dir}, {hash}.
type normInv struct {
	Program string
	Args    []string
	Env     map[string]string
}

type normaliser struct {
	targetDir string
	graph     *unitgraph.Graph
}

var (
	hashArg = regexp.MustCompile(`^(metadata=|extra-filename=-)[0-9a-f]{16}$`)
	// The plan's unit directory under the incremental mount; Cargo's is
	// <target>/<profile>/incremental, shared by the units (cargoPaths).
	planIncremental = regexp.MustCompile(`^incremental=` + regexp.QuoteMeta(plan.IncrementalMount) + `/units/[\w.+-]+$`)
	planOut         = regexp.MustCompile(`/OUT/(\d+)(/out|/bin/build-script-[\w-]+|/lib/lib(\w+)-[0-9a-f]{16}\.(\w+)|/lib)`)
)

// cargo normalises a command Cargo ran: everything under its target directory.
func (n *normaliser) cargo(inv invocation) *normInv {
	sub := n.cargoPaths
	out := &normInv{Program: sub(inv.Program), Env: map[string]string{}}
	for _, a := range inv.Args {
		out.Args = append(out.Args, hashArg.ReplaceAllString(sub(a), "$1{hash}"))
	}
	fixOutDir(out.Args)
	for k, v := range inv.Env {
		out.Env[k] = sub(v)
	}
	normBinExe(out.Env)
	return out
}

// cargoPaths names the paths in Cargo's target directory.
func (n *normaliser) cargoPaths(s string) string {
	t := regexp.QuoteMeta(n.targetDir)
	// [triple/]profile-dir/
	base := t + `(?:/[^/\s]+)?/[^/\s]+`
	rules := []struct {
		re   *regexp.Regexp
		repl string
	}{
		{regexp.MustCompile(base + `/build/([^/\s]+)-[0-9a-f]{16}/out`), "{OUT_DIR:$1}"},
		{regexp.MustCompile(base + `/build/([^/\s]+)-[0-9a-f]{16}/build-script-[\w-]+`), "{build-script:$1}"},
		{regexp.MustCompile(base + `/deps/lib(\w+)-[0-9a-f]{16}\.(\w+)`), "{deps}/lib$1.$2"},
		{regexp.MustCompile(base + `/deps`), "{deps}"},
		{regexp.MustCompile(base + `/incremental`), "{incremental}"},
	}
	for _, r := range rules {
		s = r.re.ReplaceAllString(s, r.repl)
	}
	return s
}

// plan normalises planned unit i: dependency outputs are /OUT/<index>, its own
// job.Self. Values from build-script output were read from Cargo's build and
// name its target directory.
func (n *normaliser) plan(inv invocation, i int) *normInv {
	self := oracleOut(i)
	sub := func(s string) string {
		s = n.cargoPaths(strings.ReplaceAll(s, job.Self, self))
		return planOut.ReplaceAllStringFunc(s, func(m string) string {
			g := planOut.FindStringSubmatch(m)
			k, _ := strconv.Atoi(g[1])
			name := n.graph.Units[k].Package.Name
			switch {
			case g[2] == "/out":
				return "{OUT_DIR:" + name + "}"
			case strings.HasPrefix(g[2], "/bin/build-script-"):
				return "{build-script:" + name + "}"
			case g[3] != "":
				return "{deps}/lib" + g[3] + "." + g[4]
			}
			return "{deps}"
		})
	}
	out := &normInv{Program: sub(inv.Program), Env: map[string]string{}}
	for _, a := range inv.Args {
		a = planIncremental.ReplaceAllString(a, "incremental={incremental}")
		out.Args = append(out.Args, hashArg.ReplaceAllString(sub(a), "$1{hash}"))
	}
	fixOutDir(out.Args)
	for k, v := range inv.Env {
		out.Env[k] = sub(v)
	}
	normBinExe(out.Env)
	// Cargo's -vv output drops control characters: the 0x1f separators too.
	if v, ok := out.Env["CARGO_ENCODED_RUSTFLAGS"]; ok {
		out.Env["CARGO_ENCODED_RUSTFLAGS"] = strings.ReplaceAll(v, "\x1f", "")
	}
	return out
}

// fixOutDir names --out-dir's value (rustdoc's -o) {out-dir}: each side has
// its own layout.
func fixOutDir(args []string) {
	for k := 0; k+1 < len(args); k++ {
		if args[k] == "--out-dir" || args[k] == "-o" {
			args[k+1] = "{out-dir}"
		}
	}
}

// normBinExe keeps only the binary's name of CARGO_BIN_EXE_*: Cargo's is in
// its target directory, the plan's in the bin unit's output.
func normBinExe(env map[string]string) {
	for k, v := range env {
		if strings.HasPrefix(k, "CARGO_BIN_EXE_") {
			env[k] = "{bin}/" + filepath.Base(v)
		}
	}
}

// line renders the invocation for messages.
func (n *normInv) line() string {
	keys := make([]string, 0, len(n.Env))
	for k := range n.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%q ", k, n.Env[k])
	}
	b.WriteString(n.Program)
	for _, a := range n.Args {
		b.WriteString(" " + a)
	}
	return b.String()
}

// diff lists what differs: the program, arguments (an edit script over the
// argument lists) and environment variables.
func (c *normInv) diff(p *normInv) string {
	var b strings.Builder
	if c.Program != p.Program {
		fmt.Fprintf(&b, "  program: -%s +%s\n", c.Program, p.Program)
	}
	if d := diffLists(c.Args, p.Args); d != "" {
		b.WriteString("  args:\n" + d)
	}
	keys := map[string]bool{}
	for k := range c.Env {
		keys[k] = true
	}
	for k := range p.Env {
		keys[k] = true
	}
	var names []string
	for k := range keys {
		cv, cok := c.Env[k]
		pv, pok := p.Env[k]
		if cv != pv || cok != pok {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, k := range names {
		if cv, ok := c.Env[k]; ok {
			fmt.Fprintf(&b, "  env -%s=%q\n", k, cv)
		}
		if pv, ok := p.Env[k]; ok {
			fmt.Fprintf(&b, "  env +%s=%q\n", k, pv)
		}
	}
	return b.String()
}

// diffLists is a longest-common-subsequence edit script, with a line of
// context around each change.
func diffLists(a, b []string) string {
	m, n := len(a), len(b)
	lcs := make([][]int, m+1)
	for i := range lcs {
		lcs[i] = make([]int, n+1)
	}
	for i := m - 1; i >= 0; i-- {
		for j := n - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type op struct {
		kind byte
		s    string
	}
	var ops []op
	i, j := 0, 0
	for i < m || j < n {
		switch {
		case i < m && j < n && a[i] == b[j]:
			ops = append(ops, op{' ', a[i]})
			i++
			j++
		case j < n && (i == m || lcs[i][j+1] >= lcs[i+1][j]):
			ops = append(ops, op{'+', b[j]})
			j++
		default:
			ops = append(ops, op{'-', a[i]})
			i++
		}
	}
	var out strings.Builder
	changed := false
	for k, o := range ops {
		near := o.kind != ' ' || (k > 0 && ops[k-1].kind != ' ') || (k+1 < len(ops) && ops[k+1].kind != ' ')
		if o.kind != ' ' {
			changed = true
		}
		if near {
			fmt.Fprintf(&out, "   %c %s\n", o.kind, o.s)
		}
	}
	if !changed {
		return ""
	}
	return out.String()
}
