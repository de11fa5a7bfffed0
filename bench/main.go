// Command bench times Cargo and cargo-nix-unit side by side on the same
// workspaces and prints the medians and their ratios as a Markdown table.
//
//	go run ./bench                      # examples/workspace, the corpus + app workspace, DAGs of 50 and 200 crates
//	go run ./bench -sizes 50,200,1000 -runs 5
//
// Workspaces: examples/workspace; the crate corpus with a generated library
// and binary (realws.go); generated layered DAGs of small crates (dag.go).
// Scenarios: cold (nothing built: a fresh target dir for Cargo; for
// cargo-nix-unit a builder copy with a nonce, so every derivation is new, and
// no incremental state), cold from a binary cache (the cold build pushed to a
// file:// cache, then built in a fresh chroot store with that cache as the
// substituter: nothing is compiled, Nix fetches what the result needs), no-op,
// and each workspace's edits (a leaf crate, the crate at the bottom of the
// graph, a library under the binary, the binary); then `test` a second time
// with no edit (Cargo runs every test again, cargo-nix-unit replays the results
// it kept), and check from nothing against cargo check. It also reports the
// fixed cost of one trivial unit (rustc alone, through Nix), what Nix charges
// a build per path of its input closure with the sandbox and without it
// (closure.go), cargo-nix-unit's own share (planning and registration, and
// the builders' setup and output, from --timings) per unit and its peak
// memory. It never runs in the test suite.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	sizes := flag.String("sizes", "50,200", "sizes of the generated layered DAG workspaces (comma separated; empty for none)")
	runs := flag.Int("runs", 3, "runs per scenario; the table shows medians")
	bin := flag.String("bin", "bin", "directory holding cargo-nix-unit and its builder (scripts/setup.sh builds them)")
	example := flag.Bool("example", true, "include examples/workspace")
	register := flag.Bool("register", true, "also time registration alone: the daemon client against `nix derivation add`")
	overhead := flag.Bool("overhead", true, "also time one trivial unit (rustc alone, and through Nix) and what Nix charges a build per input path")
	real := flag.Int("real", 24, "modules of the binary in the workspace of the crate corpus and an application (0: leave it out)")
	generate := flag.String("generate", "", "only write a DAG workspace of the first -sizes crates into `DIR` (with -sizes real: the corpus + app workspace)")
	flag.Parse()
	if *generate != "" {
		var err error
		if *sizes == "real" {
			_, err = generateRealWorkspace(*generate, *real)
		} else {
			var n int
			if n, err = strconv.Atoi(strings.Split(*sizes, ",")[0]); err == nil {
				_, err = generateDAG(*generate, n)
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*sizes, *runs, *bin, *example, *real, *overhead); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	if !*register {
		return
	}
	if err := registration(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// workspace is one benchmark subject and its edit scenarios.
type workspace struct {
	name, dir string
	edits     []edit
	units     int
}

// edit is a scenario: a change of one file, then a build.
type edit struct {
	name, file string
	apply      func(path string) error
}

// appendComment is an edit that changes a file's text but not its code.
func appendComment(path string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(f, "\n// bench edit %d\n", time.Now().UnixNano())
	return f.Close()
}

// commentEdits are the edits of a leaf crate, of the crate at the bottom of
// the graph and of the binary.
func commentEdits(leaf, bottom, binary string) []edit {
	return []edit{
		{"edit leaf crate", leaf, appendComment},
		{"edit bottom crate", bottom, appendComment},
		{"edit binary", binary, appendComment},
	}
}

func run(sizes string, runs int, bin string, example bool, real int, overhead bool) error {
	bin, err := filepath.Abs(bin)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "cnu-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var wss []workspace
	if example {
		dir := filepath.Join(tmp, "example")
		if out, err := exec.Command("cp", "-r", "examples/workspace", dir).CombinedOutput(); err != nil {
			return fmt.Errorf("copying the example: %v: %s", err, out)
		}
		os.RemoveAll(filepath.Join(dir, "target"))
		wss = append(wss, workspace{name: "examples/workspace", dir: dir,
			edits: commentEdits("greeter-macros/src/lib.rs", "greeter/src/lib.rs", "app/src/main.rs")})
	}
	if real > 0 {
		ws, err := generateRealWorkspace(filepath.Join(tmp, "real"), real)
		if err != nil {
			return err
		}
		wss = append(wss, ws)
	}
	for _, s := range strings.Split(sizes, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("-sizes: %w", err)
		}
		dir := filepath.Join(tmp, fmt.Sprintf("dag%d", n))
		ws, err := generateDAG(dir, n)
		if err != nil {
			return err
		}
		wss = append(wss, ws)
	}
	fmt.Printf("| workspace | scenario | cargo | cargo-nix-unit | ratio |\n|---|---|---:|---:|---:|\n")
	if overhead {
		if err := unitOverhead(bin, tmp, runs); err != nil {
			return fmt.Errorf("per-unit cost: %w", err)
		}
		if err := closureCost(bin, tmp, runs); err != nil {
			return fmt.Errorf("cost of an input closure: %w", err)
		}
	}
	for _, ws := range wss {
		if err := benchWorkspace(ws, runs, bin, tmp); err != nil {
			return fmt.Errorf("%s: %w", ws.name, err)
		}
	}
	return nil
}

// measurement is one run of a tool.
type measurement struct {
	wall           time.Duration
	maxRSS         int64 // KiB
	stdout, stderr string
}

func timeCmd(dir string, env []string, prog string, args ...string) (measurement, error) {
	cmd := exec.Command(prog, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	m := measurement{wall: time.Since(start), stdout: stdout.String(), stderr: stderr.String()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.maxRSS = ru.Maxrss
	}
	if err != nil {
		return m, fmt.Errorf("%s %s: %v\n%s", prog, strings.Join(args, " "), err, stderr.String())
	}
	return m, nil
}

func benchWorkspace(ws workspace, runs int, bin, tmp string) error {
	cnu := filepath.Join(bin, "cargo-nix-unit")
	target := filepath.Join(tmp, "target-"+filepath.Base(ws.dir))
	cargoEnv := []string{"CARGO_TARGET_DIR=" + target}
	var nonceErr error
	cold := func(i int) []string {
		// A builder with trailing bytes runs the same, but every derivation is new.
		p, err := nonceBuilder(bin, tmp)
		if err != nil && nonceErr == nil {
			nonceErr = err
		}
		return []string{"CARGO_NIX_UNIT_BUILDER=" + p}
	}
	cnuArgs := []string{"nix-unit", "build", "--no-link", "--progress=plain", "--timings"}
	type scenario struct {
		name  string
		setup func(i int) (cargoEnv, cnuEnv []string)
		args  []string // cargo-nix-unit's arguments instead of cnuArgs
	}
	var editErr error
	editor := func(e edit) func(int) ([]string, []string) {
		return func(int) ([]string, []string) {
			if err := e.apply(filepath.Join(ws.dir, e.file)); err != nil && editErr == nil {
				editErr = err
			}
			return nil, nil
		}
	}
	var coldEnv, fromCache []string
	scenarios := []scenario{
		{name: "cold", setup: func(i int) ([]string, []string) {
			os.RemoveAll(target)
			// The tool's state in the target directory goes too, as Cargo's.
			os.RemoveAll(filepath.Join(ws.dir, "target"))
			coldEnv = cold(i)
			return nil, coldEnv
		}},
		{name: "cold from the cache (all substituted)", setup: func(i int) ([]string, []string) {
			os.RemoveAll(target)
			cache := filepath.Join(tmp, fmt.Sprintf("cache-%s-%d", filepath.Base(ws.dir), i))
			if _, err := timeCmd(ws.dir, coldEnv, cnu, "nix-unit", "push", "file://"+cache+"?compression=zstd", "--no-link", "-q"); err != nil {
				fmt.Fprintln(os.Stderr, "bench: pushing:", err)
			}
			store := filepath.Join(tmp, fmt.Sprintf("store-%s-%d", filepath.Base(ws.dir), i))
			fromCache = []string{"nix-unit", "build", "--no-link", "--progress=plain", "--store", "local?root=" + store,
				"--option", "substituters", "file://" + cache}
			return nil, coldEnv
		}},
		{name: "no-op", setup: func(int) ([]string, []string) { return nil, coldEnv }},
	}
	for _, e := range ws.edits {
		scenarios = append(scenarios, scenario{name: e.name, setup: editor(e)})
	}
	var ownPerUnit, builderPerUnit []float64
	var peak int64
	for _, sc := range scenarios {
		var cargoT, cnuT []time.Duration
		for i := 0; i < runs; i++ {
			ce, ne := sc.setup(i)
			if sc.name != "cold" && sc.name != "no-op" {
				ne = coldEnv
			}
			m, err := timeCmd(ws.dir, append(cargoEnv, ce...), "cargo", "build", "-q")
			if err != nil {
				return err
			}
			cargoT = append(cargoT, m.wall)
			args := cnuArgs
			if strings.HasPrefix(sc.name, "cold from the cache") {
				args = fromCache
			}
			m, err = timeCmd(ws.dir, ne, cnu, args...)
			if err != nil {
				return err
			}
			cnuT = append(cnuT, m.wall)
			if mm := memoryRe.FindStringSubmatch(m.stderr); mm != nil {
				mb, _ := strconv.ParseInt(mm[1], 10, 64)
				peak = max(peak, mb)
			}
			if own, units, ok := ownTime(m.stderr); ok && sc.name == "cold" {
				ownPerUnit = append(ownPerUnit, own.Seconds()*1000/float64(units))
				ws.units = units
				if b := builderRe.FindStringSubmatch(m.stderr); b != nil {
					builderPerUnit = append(builderPerUnit, (parseSeconds(b[1])+parseSeconds(b[3])).Seconds()*1000/float64(units))
				}
			}
			if sc.name == "no-op" {
				// The no-op scenario repeats itself: run the setup once.
				continue
			}
		}
		if editErr != nil {
			return editErr
		}
		if nonceErr != nil {
			return nonceErr
		}
		c, n := median(cargoT), median(cnuT)
		fmt.Printf("| %s | %s | %.2fs | %.2fs | %.2f× |\n", ws.name, sc.name, c.Seconds(), n.Seconds(), n.Seconds()/c.Seconds())
	}
	if err := benchSecondTest(ws, runs, cnu, cargoEnv, coldEnv); err != nil {
		return err
	}
	if len(ownPerUnit) > 0 {
		sort.Float64s(ownPerUnit)
		fmt.Printf("| %s | own work (plan + register, cold) | | %.2f ms/unit (%d units) | |\n", ws.name, ownPerUnit[len(ownPerUnit)/2], ws.units)
	}
	if len(builderPerUnit) > 0 {
		sort.Float64s(builderPerUnit)
		fmt.Printf("| %s | own work in the builds (builder setup + output, cold) | | %.2f ms/unit | |\n", ws.name, builderPerUnit[len(builderPerUnit)/2])
	}
	fmt.Printf("| %s | peak memory of cargo-nix-unit itself | | %d MB | |\n", ws.name, peak)
	return benchCheck(ws, runs, cnu, bin, tmp)
}

// benchSecondTest times `test` run a second time with no edit: Cargo runs
// every test executable and doctest again, cargo-nix-unit shows the results
// its test-run derivations kept.
func benchSecondTest(ws workspace, runs int, cnu string, cargoEnv, cnuEnv []string) error {
	cnuArgs := []string{"nix-unit", "test", "--no-link", "--progress=plain", "-q"}
	if _, err := timeCmd(ws.dir, cargoEnv, "cargo", "test", "-q"); err != nil {
		return err
	}
	if _, err := timeCmd(ws.dir, cnuEnv, cnu, cnuArgs...); err != nil {
		return err
	}
	var cargoT, cnuT []time.Duration
	for i := 0; i < runs; i++ {
		m, err := timeCmd(ws.dir, cargoEnv, "cargo", "test", "-q")
		if err != nil {
			return err
		}
		cargoT = append(cargoT, m.wall)
		if m, err = timeCmd(ws.dir, cnuEnv, cnu, cnuArgs...); err != nil {
			return err
		}
		cnuT = append(cnuT, m.wall)
	}
	c, n := median(cargoT), median(cnuT)
	fmt.Printf("| %s | second test, no edit | %.2fs | %.2fs | %.2f× |\n", ws.name, c.Seconds(), n.Seconds(), n.Seconds()/c.Seconds())
	return nil
}

var (
	timingsRe = regexp.MustCompile(`Timings unit graph ([0-9.]+)s, plan ([0-9.]+)s \((\d+) units\), register ([0-9.]+)s`)
	memoryRe  = regexp.MustCompile(`peak memory (\d+) MB`)
)

// ownTime reads --timings: the tool's planning and registration, without Cargo
// and without the builds.
func ownTime(stderr string) (time.Duration, int, bool) {
	m := timingsRe.FindStringSubmatch(stderr)
	if m == nil {
		return 0, 0, false
	}
	plan, _ := strconv.ParseFloat(m[2], 64)
	units, _ := strconv.Atoi(m[3])
	reg, _ := strconv.ParseFloat(m[4], 64)
	return time.Duration((plan + reg) * float64(time.Second)), units, true
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration{}, ds...)
	sort.Slice(s, func(a, b int) bool { return s[a] < s[b] })
	return s[len(s)/2]
}

var drvsPerSecRe = regexp.MustCompile(`BenchmarkRegister/(\w+)\S*\s+\d+\s+.*?([0-9.]+) drvs/s`)

// registration runs the store client's Go benchmark (200 new derivations per
// round, through the daemon client and through `nix derivation add`).
func registration() error {
	out, err := exec.Command("go", "test", "-run", "^$", "-bench", "Register", "-benchtime", "3x", "./internal/store/daemon").CombinedOutput()
	if err != nil {
		return fmt.Errorf("registration benchmark: %v\n%s", err, out)
	}
	rate := map[string]float64{}
	for _, m := range drvsPerSecRe.FindAllStringSubmatch(string(out), -1) {
		rate[m[1]], _ = strconv.ParseFloat(m[2], 64)
	}
	if rate["client"] == 0 || rate["cli"] == 0 {
		return fmt.Errorf("registration benchmark: no rates in\n%s", out)
	}
	fmt.Printf("| registration of 200 derivations | derivations/s | %.0f (`nix derivation add`) | %.0f (daemon client) | %.0f× faster |\n",
		rate["cli"], rate["client"], rate["client"]/rate["cli"])
	return nil
}
