package oracle

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// allowance is a known, intended difference between Cargo's command and the
// plan's. apply rewrites the normalised commands so that the difference
// disappears, and reports whether it found it.
type allowance struct {
	id     string
	reason string
	apply  func(cargo, plan *normInv) bool
}

// allowlist is every difference the oracle accepts. Anything else is a bug in
// the planner, or a new entry here with its reason.
var allowlist = []allowance{
	{
		id:     "rmeta-externs",
		reason: "Cargo pipelines: an rlib's dependents start on its .rmeta; a derivation's output exists only once complete, so the plan passes the .rlib (a checked library's .rmeta is all there is, on both sides)",
		apply: func(c, p *normInv) bool {
			hit := false
			for k := 1; k < len(c.Args); k++ {
				rlib := strings.TrimSuffix(c.Args[k], ".rmeta") + ".rlib"
				if c.Args[k-1] == "--extern" && strings.HasSuffix(c.Args[k], ".rmeta") && slices.Contains(p.Args, rlib) {
					c.Args[k] = rlib
					hit = true
				}
			}
			return hit
		},
	},
	{
		id:     "dependency-dirs",
		reason: "Cargo has one deps directory for all units (-L dependency=<target>/deps, given even without dependencies); each unit's output is its own store path, so the builder passes the lib/ directory of every output of the closure (found through the direct ones' deps/ links, job.DepSearch), or its incremental directory's mirror of them, at build time",
		apply: func(c, p *normInv) bool {
			a := dropPair(&c.Args, "-L", "dependency={deps}")
			b := dropPair(&p.Args, "-L", "dependency={deps}")
			return a || b
		},
	},
	{
		id:     "cap-lints-warn",
		reason: "with -vv Cargo shows dependencies' warnings (--cap-lints warn); with -v or without it passes --cap-lints allow, as the plan does",
		apply: func(c, _ *normInv) bool {
			for k := 1; k < len(c.Args); k++ {
				if c.Args[k-1] == "--cap-lints" && c.Args[k] == "warn" {
					c.Args[k] = "allow"
					return true
				}
			}
			return false
		},
	},
	{
		id:     "linker",
		reason: "a configured linker is named by its real absolute path (-C linker=, RUSTC_LINKER): the sandbox has no PATH of the user's; with none configured both pass no -C linker=",
		apply: func(c, p *normInv) bool {
			cl, pl := argWithPrefix(c.Args, "linker="), argWithPrefix(p.Args, "linker=")
			if cl >= 0 && pl >= 0 && realProgram(strings.TrimPrefix(c.Args[cl], "linker=")) == strings.TrimPrefix(p.Args[pl], "linker=") {
				c.Args[cl] = p.Args[pl]
				return true
			}
			return false
		},
	},
	{
		id:     "RUSTC_LINKER",
		reason: "as for -C linker=: the configured linker's real absolute path",
		apply: func(c, p *normInv) bool {
			cv, ok := c.Env["RUSTC_LINKER"]
			if ok && realProgram(cv) == p.Env["RUSTC_LINKER"] {
				c.Env["RUSTC_LINKER"] = p.Env["RUSTC_LINKER"]
				return true
			}
			return false
		},
	},
	{
		id:     "LD_LIBRARY_PATH",
		reason: "Cargo puts its target directory on the dynamic library path of rustc and build scripts; the plan's units see no target directory",
		apply:  func(c, _ *normInv) bool { return dropEnv(c.Env, "LD_LIBRARY_PATH") },
	},
	{
		id:     "PATH",
		reason: "processes under Cargo inherit the user's environment; in the sandbox the plan sets PATH to the toolchain and linker directories",
		apply:  func(_, p *normInv) bool { return dropEnv(p.Env, "PATH") },
	},
	{
		id:     "CARGO_TARGET_TMPDIR",
		reason: "Cargo gives integration tests and benches <target>/tmp; outside Cargo there is no target directory, so the plan gives /tmp",
		apply: func(c, p *normInv) bool {
			_, ok := c.Env["CARGO_TARGET_TMPDIR"]
			if ok && p.Env["CARGO_TARGET_TMPDIR"] == "/tmp" {
				c.Env["CARGO_TARGET_TMPDIR"] = "/tmp"
			}
			return ok
		},
	},
	{
		id:     "CLIPPY_ARGS",
		reason: "cargo-clippy hands clippy-driver the arguments after -- in CLIPPY_ARGS, in Cargo's own environment, which -vv does not print; the plan sets it in the members' units",
		apply:  func(_, p *normInv) bool { return dropEnv(p.Env, "CLIPPY_ARGS") },
	},
	{
		id: "rustdoc-parts",
		reason: "Cargo's rustdoc runs merge their crate into the shared target/doc; each plan unit has its own output, so rustdoc also writes its crate's cross-crate parts " +
			"(-Zunstable-options --parts-out-dir, RUSTC_BOOTSTRAP=<crate>) and the result merges them",
		apply: func(c, p *normInv) bool {
			k := slices.Index(p.Args, "-Zunstable-options")
			if k < 0 || k+1 >= len(p.Args) || !strings.HasPrefix(p.Args[k+1], "--parts-out-dir=") {
				return false
			}
			p.Args = slices.Delete(p.Args, k, k+2)
			return dropEnv(p.Env, "RUSTC_BOOTSTRAP")
		},
	},
	{
		id:     "NUM_JOBS",
		reason: "build scripts get Cargo's -j under Cargo and NIX_BUILD_CORES under Nix",
		apply: func(c, p *normInv) bool {
			_, ok := c.Env["NUM_JOBS"]
			if ok {
				c.Env["NUM_JOBS"], p.Env["NUM_JOBS"] = "{jobs}", "{jobs}"
			}
			return ok
		},
	},
}

// dropPair removes every "flag value" pair whose value starts with prefix.
func dropPair(args *[]string, flag, prefix string) bool {
	a := *args
	out := a[:0:0]
	hit := false
	for k := 0; k < len(a); k++ {
		if a[k] == flag && k+1 < len(a) && strings.HasPrefix(a[k+1], prefix) {
			k++
			hit = true
			continue
		}
		out = append(out, a[k])
	}
	*args = out
	return hit
}

func argWithPrefix(args []string, prefix string) int {
	for k, a := range args {
		if strings.HasPrefix(a, prefix) {
			return k
		}
	}
	return -1
}

// realProgram is a program name or path looked up on PATH with symlinks resolved.
func realProgram(name string) string {
	p, err := exec.LookPath(name)
	if err != nil {
		return ""
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return ""
	}
	return real
}

func dropEnv(env map[string]string, key string) bool {
	_, ok := env[key]
	delete(env, key)
	return ok
}
