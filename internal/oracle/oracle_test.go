package oracle

import (
	"bytes"
	"context"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testtool"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/buildscript"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/gather"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/toolchain"
)

// The flag oracle: Cargo builds a workspace with -vv, which prints every rustc
// and build-script command with the environment Cargo set for it; the planner
// plans the same unit graph; the two must agree unit by unit once paths and
// hashes are normalised, except for the differences listed in allowlist
// (oracle_allow_test.go), each with its reason.

// oracleCase is a workspace and the cargo build flags (and environment) to build it with.
type oracleCase struct {
	name    string
	dir     string   // relative to the repository root
	command string   // the cargo command: build (""), check, clippy or doc
	flags   []string // given to the cargo command and to the unit-graph query
	env     []string // extra environment for Cargo and for planning
	clippy  []string // clippy's arguments (after --)
}

var oracleCases = []oracleCase{
	{name: "example", dir: "examples/workspace"},
	{name: "example-release", dir: "examples/workspace", flags: []string{"--release"}},
	{name: "example-target", dir: "examples/workspace", flags: []string{"--target", "x86_64-unknown-linux-gnu"}},
	{name: "targets-p", dir: "testdata/workspaces/targets", flags: []string{"-p", "multi", "--bin", "b", "--example", "ex2"}},
	{name: "rootpkg", dir: "testdata/workspaces/rootpkg"},
	{name: "config", dir: "testdata/workspaces/config"},
	{name: "config-target", dir: "testdata/workspaces/config", flags: []string{"--target", "x86_64-unknown-linux-gnu"}},
	{name: "config-RUSTFLAGS", dir: "testdata/workspaces/config", env: []string{"RUSTFLAGS=--cfg from_env -C opt-level=1"}},
	{name: "config-encoded", dir: "testdata/workspaces/config", env: []string{"CARGO_ENCODED_RUSTFLAGS=--cfg\x1ffrom_env", "RUSTFLAGS=--cfg ignored"}},
	{name: "config-env-vars", dir: "testdata/workspaces/config", env: []string{"CARGO_BUILD_RUSTFLAGS=--cfg from_env", "CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER=cc"}},
	{name: "config-target-env", dir: "testdata/workspaces/config", env: []string{"CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS=--cfg from_env"}},
	{name: "lints", dir: "testdata/workspaces/lints"},
	{name: "profiles", dir: "testdata/workspaces/profiles"},
	{name: "profiles-release", dir: "testdata/workspaces/profiles", flags: []string{"--release"}},
	{name: "profiles-custom", dir: "testdata/workspaces/profiles", flags: []string{"--profile", "custom"}},
	{name: "targets", dir: "testdata/workspaces/targets"},
	{name: "targets-all", dir: "testdata/workspaces/targets", flags: []string{"--all-targets"}},
	{name: "targets-features", dir: "testdata/workspaces/targets", flags: []string{"--no-default-features", "--features", "core2015/extra,multi/loud"}},
	{name: "targets-release-all", dir: "testdata/workspaces/targets", flags: []string{"--release", "--all-targets"}},
	{name: "profiles-fast-dev", dir: "testdata/workspaces/profiles", flags: []string{"--profile", "fast-dev"}},
	{name: "inherit", dir: "testdata/workspaces/inherit"},
	{name: "links-override", dir: "testdata/workspaces/links"},
	{name: "native", dir: "testdata/workspaces/native"},
	{name: "corpus", dir: "testdata/corpus"},
	{name: "targets-all-features", dir: "testdata/workspaces/targets", flags: []string{"--all-features"}},
	{name: "inherit-features", dir: "testdata/workspaces/inherit", flags: []string{"--no-default-features", "--features", "extra"}},
	{name: "check-example", dir: "examples/workspace", command: "check"},
	{name: "check-all-targets", dir: "testdata/workspaces/targets", command: "check", flags: []string{"--all-targets"}},
	{name: "check-tested-all-targets", dir: "testdata/workspaces/tested", command: "check", flags: []string{"--all-targets"}},
	{name: "check-lints", dir: "testdata/workspaces/lints", command: "check"},
	{name: "clippy-example", dir: "examples/workspace", command: "clippy"},
	{name: "clippy-diagnostics", dir: "testdata/workspaces/diagnostics", command: "clippy", flags: []string{"--all-targets"}, clippy: []string{"-W", "clippy::pedantic"}},
	{name: "doc-example", dir: "examples/workspace", command: "doc"},
	{name: "doc-diagnostics", dir: "testdata/workspaces/diagnostics", command: "doc", env: []string{"RUSTDOCFLAGS=--cfg from_doc"}},
	{name: "doc-lints-target", dir: "testdata/workspaces/lints", command: "doc", flags: []string{"--target", "x86_64-unknown-linux-gnu"}},
}

func TestOracle(t *testing.T) {
	testtool.Require(t, "cargo")
	testtool.Long(t, "the flag oracle builds workspaces with cargo")
	hits := map[string]int{}
	for _, c := range oracleCases {
		t.Run(c.name, func(t *testing.T) { runOracle(t, c, hits) })
	}
	for _, a := range allowlist {
		if hits[a.id] == 0 {
			t.Logf("allowlist entry %q matched no difference", a.id)
		}
	}
}

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func runOracle(t *testing.T, c oracleCase, hits map[string]int) {
	ctx := context.Background()
	ws := copyTree(t, filepath.Join(repoRoot(), c.dir))
	for _, kv := range c.env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	targetDir := t.TempDir()
	command, query := c.command, c.command
	switch command {
	case "":
		command, query = "build", "build"
	case "clippy":
		query = "check" // cargo-clippy runs cargo check
		testtool.Require(t, "cargo-clippy")
	}
	args := append([]string{command, "-vv"}, c.flags...)
	if command == "clippy" {
		args = append(append(args, "--"), c.clippy...)
	}
	cmd := exec.Command("cargo", args...)
	cmd.Dir = ws
	cmd.Env = append(os.Environ(), "CARGO_TARGET_DIR="+targetDir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("cargo %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	invs, err := parseRunning(stderr.String())
	if err != nil {
		t.Fatal(err)
	}

	g, err := gather.Load(ctx, gather.Query{Dir: ws, Command: query, BuildArgs: c.flags, MetadataArgs: metadataFlags(c.flags)})
	if err != nil {
		t.Fatal(err)
	}
	var targets []string
	seen := map[string]bool{}
	for _, u := range g.Units {
		if u.Platform != nil && !seen[*u.Platform] {
			seen[*u.Platform] = true
			targets = append(targets, *u.Platform)
		}
	}
	tc, err := toolchain.Detect(ctx, "", targets)
	if err != nil {
		t.Fatal(err)
	}
	// Sources are the packages' own directories, so source paths need no normalising.
	in := &plan.Input{Graph: g, Sources: map[string]*plan.Source{}}
	for _, u := range g.Units {
		in.Sources[u.PkgID] = &plan.Source{Name: plan.SanitizeName(u.Package.Name + "-" + u.Package.Version + "-source"), Dir: u.Package.Dir()}
	}
	if err := gather.Configure(ctx, in, tc, ws); err != nil {
		t.Fatal(err)
	}
	if command == "clippy" {
		in.Clippy = &plan.Clippy{Driver: filepath.Join(filepath.Dir(tc.Rustc), "clippy-driver"), Args: c.clippy}
	}
	p, err := plan.New(in)
	if err != nil {
		t.Fatal(err)
	}

	n := &normaliser{targetDir: targetDir, graph: g}
	used := make([]bool, len(invs))
	outputs := map[string]*buildscript.Output{} // by run unit output ("/OUT/<i>")
	for _, node := range p.Nodes {
		i, u := node.Index, node.Unit
		j := resolve(t, node)
		if j.Action == job.Override {
			// Cargo runs nothing: the configuration is the script's output.
			outputs[oracleOut(i)] = j.Output
			continue
		}
		planned := simulateBuilder(t, j, outputs)
		k := findInvocation(invs, used, planned, n, i)
		if k < 0 {
			t.Errorf("%s: Cargo ran no such command\n plan: %s", u, n.plan(planned, i).line())
			continue
		}
		used[k] = true
		if j.Action == job.RunBuildScript {
			outputs[oracleOut(i)] = readCargoOutput(t, invs[k], j)
		}
		cn, pn := n.cargo(invs[k]), n.plan(planned, i)
		if os.Getenv("ORACLE_DEBUG") != "" {
			t.Logf("%s\n cargo: %s\n plan:  %s", u, cn.line(), pn.line())
		}
		for _, a := range allowlist {
			if a.apply(cn, pn) {
				hits[a.id]++
			}
		}
		if d := cn.diff(pn); d != "" {
			t.Errorf("%s differs from Cargo (- cargo, + plan):\n%s", u, d)
		}
	}
	for k, inv := range invs {
		if !used[k] {
			t.Errorf("Cargo ran a command the plan lacks:\n %s", n.cargo(inv).line())
		}
	}
}

// copyTree copies the workspace at dir into a new temporary directory under
// the same name and returns the copy: Cargo writes Cargo.lock (ignored by git,
// so a later copy of the tree would pick it up) and nothing may change the
// source tree.
func copyTree(t *testing.T, dir string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(dir))
	if out, err := exec.Command("cp", "-r", dir, dst).CombinedOutput(); err != nil {
		t.Fatalf("copying %s: %v\n%s", dir, err, out)
	}
	os.RemoveAll(filepath.Join(dst, "target"))
	return dst
}

// resolve is the node's job with its dependencies' outputs as oracleOut names
// them and sources as the packages' directories.
func resolve(t *testing.T, n *plan.Node) *job.Job {
	t.Helper()
	enc, err := n.Job.Encode()
	if err != nil {
		t.Fatal(err)
	}
	enc = n.Replacer(func(d *plan.Node) string { return oracleOut(d.Index) }, func(s *plan.Source) string { return s.Dir }).Replace(enc)
	j, err := job.Decode(enc, "")
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// oracleOut stands for dependency i's output in planned jobs.
func oracleOut(i int) string { return "/OUT/" + strconv.Itoa(i) }

// metadataFlags keeps the flags `cargo metadata` accepts.
func metadataFlags(flags []string) []string {
	var out []string
	for k := 0; k < len(flags); k++ {
		switch flags[k] {
		case "--features", "--manifest-path":
			out = append(out, flags[k], flags[k+1])
			k++
		case "--all-features", "--no-default-features":
			out = append(out, flags[k])
		}
	}
	return out
}

// simulateBuilder adds what the builder adds at build time from build-script
// outputs (internal/builder): directives for rustc, DEP_* and NUM_JOBS for runs.
func simulateBuilder(t *testing.T, j *job.Job, outputs map[string]*buildscript.Output) invocation {
	t.Helper()
	inv := invocation{Env: map[string]string{}, Program: j.Program, Args: append([]string{}, j.Args...)}
	for k, v := range j.Env {
		inv.Env[k] = v
	}
	get := func(run string) *buildscript.Output {
		o, ok := outputs[run]
		if !ok {
			t.Fatalf("%s: build-script run %s was not matched before its dependents", j.Unit, run)
		}
		return o
	}
	switch j.Action {
	case job.RunBuildScript:
		for _, dm := range j.DepMetadata {
			for _, e := range get(dm.Run).DepEnv(dm.Links) {
				inv.Env[e.Key] = e.Value
			}
		}
		inv.Env["NUM_JOBS"] = "1"
	case job.Rustc, job.Rustdoc:
		var own *buildscript.Run
		var recv buildscript.Receiver
		if j.Own != nil {
			own, recv = &buildscript.Run{Output: get(j.Own.Run), OutDir: job.OutDir(j.Own.Run)}, j.Own.Receiver
		}
		var deps []buildscript.Run
		for _, run := range j.LinkSearch {
			deps = append(deps, buildscript.Run{Output: get(run), OutDir: job.OutDir(run)})
		}
		args, env := buildscript.Args(own, recv, deps)
		inv.Args = append(inv.Args, args...)
		for _, e := range env {
			inv.Env[e.Key] = e.Value
		}
	}
	return inv
}

// readCargoOutput parses what the build script printed in Cargo's build, next
// to its OUT_DIR, the way the builder parses it.
func readCargoOutput(t *testing.T, inv invocation, j *job.Job) *buildscript.Output {
	t.Helper()
	path := filepath.Join(filepath.Dir(inv.Env["OUT_DIR"]), "output")
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%s: %v", j.Unit, err)
	}
	defer f.Close()
	opts := buildscript.Options{}
	if j.BuildScript != nil {
		opts = *j.BuildScript
	}
	o, err := buildscript.Parse(f, opts)
	if err != nil {
		t.Fatalf("%s: %s: %v", j.Unit, path, err)
	}
	return o
}

// findInvocation picks Cargo's command for planned unit i: the same crate,
// source, crate types, target and features (or, for a build-script run, the
// same package, target and features); among several, the one equal after
// normalising, else the first.
func findInvocation(invs []invocation, used []bool, planned invocation, n *normaliser, i int) int {
	key := invocationKey(planned)
	first := -1
	for k, inv := range invs {
		if used[k] || invocationKey(inv) != key {
			continue
		}
		if n.cargo(inv).line() == n.plan(planned, i).line() {
			return k
		}
		if first < 0 {
			first = k
		}
	}
	return first
}

func invocationKey(inv invocation) string {
	var feats []string
	if strings.HasPrefix(filepath.Base(inv.Program), "build-script-") {
		for k := range inv.Env {
			if strings.HasPrefix(k, "CARGO_FEATURE_") {
				feats = append(feats, k)
			}
		}
		sort.Strings(feats)
		return "run " + inv.Env["CARGO_MANIFEST_DIR"] + " " + inv.Env["TARGET"] + " " + strings.Join(feats, ",")
	}
	a := inv.Args
	tool := filepath.Base(inv.Program)
	if tool == "clippy-driver" && len(a) > 0 {
		a = a[1:] // clippy-driver <rustc> ARGS
	}
	var types []string
	target := ""
	for k := 0; k+1 < len(a); k++ {
		switch a[k] {
		case "--crate-type":
			types = append(types, a[k+1])
		case "--test":
			types = append(types, "test")
		case "--target":
			target = a[k+1]
		case "--cfg":
			if strings.HasPrefix(a[k+1], "feature=") {
				feats = append(feats, a[k+1])
			}
		}
	}
	src, emit := "", ""
	for _, w := range a {
		if strings.HasSuffix(w, ".rs") && src == "" {
			src = w
		}
		if strings.HasPrefix(w, "--emit=") {
			emit = w
		}
	}
	return strings.Join([]string{tool, arg(a, "--crate-name"), src, strings.Join(types, ","), target, strings.Join(feats, ","), emit}, " ")
}

func arg(a []string, flag string) string {
	for k := 0; k+1 < len(a); k++ {
		if a[k] == flag {
			return a[k+1]
		}
	}
	return ""
}
