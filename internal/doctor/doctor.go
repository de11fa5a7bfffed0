// Package doctor checks what cargo-nix-unit needs from Nix and Rust, and says how
// to fix each problem it finds.
package doctor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/run"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/store"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/store/daemon"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/toolchain"
)

// Levels of a finding.
const (
	OK   = "ok"
	Note = "note"
	Fail = "FAIL"
)

// Finding is the result of one check.
type Finding struct {
	Level  string
	Check  string // what was checked: "nix", "store", "ca-derivations", ...
	Detail string
	Fix    string // how to fix it; empty when nothing needs doing
}

// Options say which programs to check.
type Options struct {
	Nix, Rustc, Cargo string
	Toolchain         toolchain.Mode // --toolchain, as builds get it
	System            string         // Nix system, for the CA probe
}

// Run performs every check. Later checks that need Nix are skipped when Nix is
// missing or too old.
func Run(ctx context.Context, o Options) []Finding {
	var fs []Finding
	nixOK := true
	st, err := store.NewCLI(ctx, o.Nix)
	switch {
	case err != nil && st == nil && !strings.Contains(err.Error(), "found Nix"):
		fs = append(fs, Finding{Fail, "nix", err.Error(), "install Nix 2.18 or newer " + installNix + ", or pass --nix PROGRAM; " + nixShell})
		nixOK = false
	case err != nil:
		fs = append(fs, Finding{Fail, "nix", err.Error(), "upgrade Nix to 2.18 or newer " + installNix + ", or pass --nix PROGRAM for a newer one; " + nixShell})
		nixOK = false
	default:
		fs = append(fs, Finding{OK, "nix", "Nix " + st.Version.String(), ""})
	}
	trusted, ca := false, false
	if nixOK {
		si := storeInfo(ctx, o.Nix)
		fs = append(fs, si...)
		trusted = si[0].Level == OK && strings.HasSuffix(si[0].Detail, ", trusted")
		// An unreachable store is the one cause; the probe would only repeat it.
		if si[0].Level != Fail {
			f := probeCA(ctx, st, o.System)
			fs, ca = append(fs, f), f.Level == OK
		}
	}
	tc, err := toolchain.Detect(ctx, o.Rustc, nil)
	if err != nil {
		fs = append(fs, Finding{Fail, "rustc", err.Error(), "install a Rust toolchain (rustup, or Debian's rustc and cargo) or pass --rustc PROGRAM"})
	} else {
		fs = append(fs, Finding{OK, "rustc", firstLine(tc.Version) + " (sysroot " + tc.Sysroot + ")", ""})
		fs = append(fs, toolchainMode(tc, o.Toolchain))
		if nixOK {
			fs = append(fs, sandbox(ctx, o.Nix, tc, trusted))
		}
	}
	if nixOK {
		fs = append(fs, incremental(ctx, o.Nix))
	}
	fs = append(fs, cargo(ctx, o.Cargo))
	if nixOK {
		fs = append(fs, builders(ctx, o.Nix, o.System, ca, tc)...)
	}
	return fs
}

func nixArgs(nix string, args ...string) []string {
	if nix == "" {
		nix = "nix"
	}
	return append(append([]string{nix}, store.Features...), args...)
}

// storeInfo reports how the store is reached and whether this user is trusted.
func storeInfo(ctx context.Context, nix string) []Finding {
	var ue *daemon.UnreachableError
	if err := daemon.CheckSocket(daemon.ResolveAddress(os.Getenv)); errors.As(err, &ue) {
		return []Finding{{Fail, "store", ue.Problem(), daemon.UnreachableFix}}
	}
	// Nix 2.26 prints the store's description on stderr.
	var stderr strings.Builder
	out, err := run.Output(ctx, run.Cmd{Args: nixArgs(nix, "store", "info"), Stderr: &stderr})
	out = append(out, stderr.String()...)
	if err != nil {
		return []Finding{{Fail, "store", "the Nix store is not reachable: " + err.Error(),
			"start the Nix daemon (systemctl start nix-daemon), or check NIX_REMOTE and permissions on /nix/var/nix/daemon-socket"}}
	}
	info := map[string]string{}
	for _, l := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok {
			info[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	detail := "store " + info["Store URL"]
	if info["Trusted"] == "0" {
		return []Finding{{Note, "store", detail + ", this user is not trusted: cargo-nix-unit cannot pass extra-sandbox-paths itself",
			"add your user to `trusted-users` in /etc/nix/nix.conf, or set `extra-sandbox-paths` there (see the sandbox check)"}}
	}
	if info["Trusted"] == "1" {
		detail += ", trusted"
	}
	return []Finding{{OK, "store", detail, ""}}
}

// probeCA registers a tiny content-addressed derivation: the daemon decides.
func probeCA(ctx context.Context, st *store.CLI, system string) Finding {
	ok, err := store.ProbeCA(ctx, st, system, strconv.FormatInt(time.Now().UnixNano(), 36))
	switch {
	case err != nil:
		return Finding{Fail, "ca-derivations", "registering a test derivation failed: " + err.Error(), "check that this user may write to the store"}
	case !ok:
		return Finding{Fail, "ca-derivations", "the Nix daemon rejects content-addressed derivations, so units are input-addressed: no early cutoff",
			"add `experimental-features = nix-command ca-derivations` to /etc/nix/nix.conf and restart nix-daemon; or build with --content-addressed=off"}
	}
	return Finding{OK, "ca-derivations", "the store accepts content-addressed derivations", ""}
}

// installNix and nixShell say where Nix comes from, for a user who may have
// nothing but cargo-nix-unit's two programs (no checkout, no scripts).
const (
	installNix = "by the Nix project's installation instructions (or your distribution's nix package, if it is new enough)"
	nixShell   = "with Nix, `nix develop github:cargo-nix-unit/cargo-nix-unit` also gives Cargo and rustc"
)

// sandbox explains what a host toolchain needs under the Nix sandbox. A user
// the store trusts needs nothing done: the tool passes the paths itself.
func sandbox(ctx context.Context, nix string, tc *toolchain.Toolchain, trusted bool) Finding {
	out, err := run.Output(ctx, run.Cmd{Args: nixArgs(nix, "config", "show", "sandbox")})
	mode := strings.TrimSpace(string(out))
	if err != nil {
		return Finding{Note, "sandbox", "cannot read Nix's sandbox setting: " + err.Error(), ""}
	}
	if tc.InStore {
		return Finding{OK, "sandbox", "sandbox = " + mode + "; the toolchain is in the Nix store, builds are pure", ""}
	}
	what := "the linker and the system's libraries come from the host"
	if !strings.HasPrefix(tc.Sysroot, "/nix/store/") {
		what = "rustc lives outside the Nix store (" + tc.Sysroot + ")"
	}
	if mode == "false" {
		return Finding{OK, "sandbox", "sandbox = false; " + what, ""}
	}
	detail := fmt.Sprintf("sandbox = %s and %s: every build needs these host paths in the sandbox: %s",
		mode, what, strings.Join(tc.SandboxPaths, " "))
	if trusted {
		return Finding{Note, "sandbox", detail + "; cargo-nix-unit passes them as extra-sandbox-paths (the store trusts this user)", ""}
	}
	return Finding{Note, "sandbox", detail,
		"cargo-nix-unit passes them as extra-sandbox-paths, which only a trusted user may; otherwise add `extra-sandbox-paths = " +
			strings.Join(tc.SandboxPaths, " ") + "` to /etc/nix/nix.conf, or use a toolchain from the Nix store"}
}

func cargo(ctx context.Context, prog string) Finding {
	if prog == "" {
		prog = "cargo"
	}
	if _, err := exec.LookPath(prog); err != nil {
		return Finding{Fail, "cargo", "cargo not found: " + err.Error(), "install cargo (rustup, or Debian's cargo package)"}
	}
	out, err := run.Output(ctx, run.Cmd{Args: []string{prog, "-V"}})
	if err != nil {
		return Finding{Fail, "cargo", err.Error(), "check that `cargo -V` works"}
	}
	return Finding{OK, "cargo", strings.TrimSpace(string(out)) + " (the unit graph is read with RUSTC_BOOTSTRAP=1 for that one query)", ""}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// Print writes the findings, the fix under each problem.
func Print(w io.Writer, fs []Finding) {
	for _, f := range fs {
		fmt.Fprintf(w, "%-5s %-15s %s\n", f.Level, f.Check, f.Detail)
		if f.Fix != "" {
			fmt.Fprintf(w, "%-5s %-15s fix: %s\n", "", "", f.Fix)
		}
	}
}

// Failed reports whether any finding is a failure.
func Failed(fs []Finding) bool {
	for _, f := range fs {
		if f.Level == Fail {
			return true
		}
	}
	return false
}
