// Command bench times Cargo and cargo-nix-unit side by side on the same
// workspaces and prints the medians and their ratios as a Markdown table.
//
//	go run ./bench                      # examples/workspace and generated DAGs of 50 and 200 crates
//	go run ./bench -sizes 50,200,1000 -runs 5
//
// Scenarios: cold (nothing built: a fresh target dir for Cargo; for
// cargo-nix-unit a builder copy with a nonce, so every derivation is new), cold
// from a binary cache (the cold build pushed to a file:// cache, then built in a
// fresh chroot store with that cache as the substituter: nothing is compiled,
// Nix fetches what the result needs), no-op, an edit of a leaf crate, of a crate at the bottom of the graph, and of the
// binary; then check from nothing against cargo check. It also reports
// cargo-nix-unit's own share (planning and registration, from --timings) per
// unit and its peak memory. It never runs in the test suite.
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
	generate := flag.String("generate", "", "only write a DAG workspace of the first -sizes crates into `DIR`")
	flag.Parse()
	if *generate != "" {
		n, err := strconv.Atoi(strings.Split(*sizes, ",")[0])
		if err == nil {
			_, err = generateDAG(*generate, n)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*sizes, *runs, *bin, *example); err != nil {
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

// workspace is one benchmark subject and the files its edit scenarios touch.
type workspace struct {
	name, dir            string
	leaf, bottom, binary string // files to edit
	units                int
}

func run(sizes string, runs int, bin string, example bool) error {
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
			leaf: "greeter-macros/src/lib.rs", bottom: "greeter/src/lib.rs", binary: "app/src/main.rs"})
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
	for _, ws := range wss {
		if err := benchWorkspace(ws, runs, bin, tmp); err != nil {
			return fmt.Errorf("%s: %w", ws.name, err)
		}
	}
	return nil
}

// measurement is one run of a tool.
type measurement struct {
	wall   time.Duration
	maxRSS int64 // KiB
	stderr string
}

func timeCmd(dir string, env []string, prog string, args ...string) (measurement, error) {
	cmd := exec.Command(prog, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	m := measurement{wall: time.Since(start), stderr: stderr.String()}
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
	builder, err := os.ReadFile(filepath.Join(bin, "cargo-nix-unit-builder"))
	if err != nil {
		return err
	}
	cold := func(i int) []string {
		// A builder with trailing bytes runs the same, but every derivation is new.
		p := filepath.Join(tmp, fmt.Sprintf("builder-%d-%d", time.Now().UnixNano(), i))
		os.WriteFile(p, append(append([]byte{}, builder...), fmt.Sprintf("\nnonce %d\n", time.Now().UnixNano())...), 0o755)
		return []string{"CARGO_NIX_UNIT_BUILDER=" + p}
	}
	cnuArgs := []string{"nix-unit", "build", "--no-link", "--progress=plain", "--timings"}
	type scenario struct {
		name  string
		setup func(i int) (cargoEnv, cnuEnv []string)
		args  []string // cargo-nix-unit's arguments instead of cnuArgs
	}
	nonce := 0
	editor := func(file string) func(int) ([]string, []string) {
		return func(int) ([]string, []string) {
			nonce++
			f, err := os.OpenFile(filepath.Join(ws.dir, file), os.O_APPEND|os.O_WRONLY, 0)
			if err == nil {
				fmt.Fprintf(f, "\n// bench edit %d %d\n", nonce, time.Now().UnixNano())
				f.Close()
			}
			return nil, nil
		}
	}
	var coldEnv, fromCache []string
	scenarios := []scenario{
		{name: "cold", setup: func(i int) ([]string, []string) {
			os.RemoveAll(target)
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
		{name: "edit leaf crate", setup: editor(ws.leaf)},
		{name: "edit bottom crate", setup: editor(ws.bottom)},
		{name: "edit binary", setup: editor(ws.binary)},
	}
	var ownPerUnit []float64
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
			}
			if sc.name == "no-op" {
				// The no-op scenario repeats itself: run the setup once.
				continue
			}
		}
		c, n := median(cargoT), median(cnuT)
		fmt.Printf("| %s | %s | %.2fs | %.2fs | %.2f× |\n", ws.name, sc.name, c.Seconds(), n.Seconds(), n.Seconds()/c.Seconds())
	}
	if len(ownPerUnit) > 0 {
		sort.Float64s(ownPerUnit)
		fmt.Printf("| %s | own work (plan + register, cold) | | %.2f ms/unit (%d units) | |\n", ws.name, ownPerUnit[len(ownPerUnit)/2], ws.units)
	}
	fmt.Printf("| %s | peak memory of cargo-nix-unit itself | | %d MB | |\n", ws.name, peak)
	return benchCheck(ws, runs, cnu, builder, tmp)
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
