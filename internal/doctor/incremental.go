package doctor

import (
	"context"
	"os"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/run"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/store/daemon"
)

// incremental says whether builds can keep rustc's incremental state in the
// target directory: it is mounted into the sandbox (extra-sandbox-paths) and
// used only when the build runs as the user who owns it (internal/builder).
// Otherwise units that Cargo compiles incrementally compile from scratch,
// which is correct, and slower for edits.
func incremental(ctx context.Context, nix string) Finding {
	out, err := run.Output(ctx, run.Cmd{Args: nixArgs(nix, "config", "show")})
	if err != nil {
		return Finding{Note, "incremental", "cannot read Nix's settings: " + err.Error(), ""}
	}
	settings := map[string]string{}
	for _, l := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(l, " = "); ok {
			settings[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return incrementalFinding(settings, daemon.ResolveAddress(os.Getenv).Socket != "", os.Getuid() == 0)
}

// incrementalFinding decides from Nix's settings, whether the store is a
// daemon's, and whether this user is root.
func incrementalFinding(settings map[string]string, viaDaemon, root bool) Finding {
	const what = "units Cargo compiles incrementally (path packages in dev) compile from scratch in every build"
	if settings["sandbox"] == "false" {
		return Finding{Note, "incremental", "sandbox = false: builds do not see the incremental state (it is mounted into the sandbox), so " + what,
			"set `sandbox = true` (or relaxed) in /etc/nix/nix.conf; or accept slower edits"}
	}
	group := settings["build-users-group"]
	asBuildUsers := group != "" || settings["auto-allocate-uids"] == "true"
	if asBuildUsers || (viaDaemon && !root) {
		who := "the Nix daemon's build users"
		if group != "" {
			who = "the build users of build-users-group = " + group
		}
		return Finding{Note, "incremental", who + " cannot write the incremental state in your target directory, so " + what,
			"a single-user Nix (build-users-group empty, no daemon) keeps the state, as Cargo does; or accept slower edits"}
	}
	return Finding{OK, "incremental", "builds run as you: units Cargo compiles incrementally keep rustc's state in <target-dir>/nix-unit/incremental", ""}
}
