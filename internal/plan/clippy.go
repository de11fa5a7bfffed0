package plan

import (
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// Clippy is how `cargo clippy` runs: clippy-driver, and the arguments given
// after `--` (-D warnings, -W clippy::pedantic, ...).
type Clippy struct {
	Driver string   `json:"driver"` // absolute path of clippy-driver, next to rustc
	Args   []string `json:"args,omitempty"`
}

// clippyArgsSeparator ends each argument in CLIPPY_ARGS, where cargo-clippy
// hands clippy-driver the arguments after `--` (clippy: src/main.rs).
const clippyArgsSeparator = "__CLIPPY_HACKERY__"

// wrapClippy runs the workspace members' units under clippy-driver, as Cargo
// does with the RUSTC_WORKSPACE_WRAPPER that cargo-clippy sets (cargo:
// core/compiler/compilation.rs, rustc_process: the wrapper applies to the
// units of workspace members, build scripts and proc-macros included):
// `clippy-driver <rustc> ARGS` with CLIPPY_ARGS, and the members' build-script
// runs see RUSTC_WORKSPACE_WRAPPER as Cargo sets it for them. Every other unit
// is the one `check` plans, so both share those derivations.
func (c *planner) wrapClippy(u *unitgraph.Unit, j *job.Job) {
	if c.Clippy == nil || !u.Package.Member {
		return
	}
	switch j.Action {
	case job.Rustc:
		j.Args = append([]string{j.Program}, j.Args...)
		j.Program = c.Clippy.Driver
		j.DepSearchAt++
		var args strings.Builder
		for _, a := range c.Clippy.Args {
			args.WriteString(a + clippyArgsSeparator)
		}
		j.Env["CLIPPY_ARGS"] = args.String()
	case job.RunBuildScript:
		j.Env["RUSTC_WORKSPACE_WRAPPER"] = c.Clippy.Driver
	}
}
