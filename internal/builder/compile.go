package builder

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// compile runs rustc with the dependency directory. A unit Cargo compiles
// incrementally gets its incremental directory (see openIncremental); with
// persistent state, every path rustc's incremental cache depends on stays the
// same from one build to the next (see stablePaths), and a failure the state
// may cause gets one more compile with the state removed.
func (b *builder) compile(args []string, env map[string]string) (*diagnostics, error) {
	var closure []string
	if len(b.job.DepSearch) > 0 {
		closure = depClosure(b.job.DepSearch)
	}
	if b.job.Incremental == "" {
		return b.compileWith(args, env, closure, nil)
	}
	inc := openIncremental(b.job.Incremental, b.scratch)
	defer inc.close()
	if inc.note != "" {
		fmt.Fprintf(b.stderr, "note: %s\n", inc.note)
	}
	diag, err := b.compileWith(args, env, closure, inc)
	var ee *exec.ExitError
	if err != nil && inc.persistent() && errors.As(err, &ee) && incrementalFailure(ee.ExitCode(), diag) {
		fmt.Fprintf(b.stderr, "note: rustc failed with the incremental state in %s; removed it, compiling from scratch\n", inc.path)
		if rerr := inc.reset(); rerr != nil {
			return diag, err
		}
		return b.compileWith(args, env, closure, inc)
	}
	return diag, err
}

// compileWith tells rustc where the closure's libraries are: each output's
// lib/ directory, or the mirror of a persistent incremental directory, which
// holds them all as Cargo's target/<profile>/deps does.
//
// Not a directory of links to them in the scratch space: a deep graph gives
// each unit hundreds of libraries, and every link is an inode that the file
// system allocates and, after the build, frees; with the directories Nix
// creates for the sandbox that was most of a small unit's system time.
func (b *builder) compileWith(args []string, env map[string]string, closure []string, inc *incrementalDir) (*diagnostics, error) {
	var search []string
	if inc != nil && inc.persistent() {
		stable, mirror, err := inc.stablePaths(args, closure, b.scratch)
		if err == nil {
			args, search = stable, []string{mirror}
		} else {
			fmt.Fprintf(b.stderr, "note: %v; compiling from scratch\n", err)
			inc.abandon(b.scratch)
		}
	}
	if search == nil {
		for _, out := range closure {
			search = append(search, filepath.Join(out, "lib"))
		}
	}
	if inc != nil {
		args = replaceIncremental(args, b.job.Incremental, inc.rustcDir())
	}
	if len(b.job.DepSearch) > 0 {
		var flags []string
		for _, dir := range search {
			flags = append(flags, "-L", "dependency="+dir)
		}
		at := min(max(b.job.DepSearchAt, 0), len(args))
		args = append(args[:at:at], append(flags, args[at:]...)...)
	}
	return b.runRustc(args, env)
}

// runRustc runs rustc once, rendering its diagnostics on the builder's stderr.
func (b *builder) runRustc(args []string, env map[string]string) (*diagnostics, error) {
	cmd := exec.Command(b.job.Program, args...)
	cmd.Dir = b.dir()
	cmd.Env = b.env(env)
	cmd.Stdout = b.stderr
	diag := &diagnostics{w: b.stderr}
	cmd.Stderr = diag
	start := time.Now()
	err := cmd.Run()
	b.runTime += time.Since(start)
	diag.flush()
	if err != nil {
		return diag, fmt.Errorf("%s failed (%w)\n  %s", filepath.Base(b.job.Program), err, commandLine(b.job.Program, args))
	}
	return diag, nil
}

// normalizeArchives makes the rlib and staticlib of an incremental compile
// independent of the invocation (see normalizeArchive).
func normalizeArchives(args []string) error {
	var dir, crate, extra string
	for k := 1; k < len(args); k++ {
		switch {
		case args[k-1] == "--out-dir":
			dir = args[k]
		case args[k-1] == "--crate-name":
			crate = args[k]
		case args[k-1] == "-C" && strings.HasPrefix(args[k], "extra-filename="):
			extra = strings.TrimPrefix(args[k], "extra-filename=")
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".rlib") || strings.HasSuffix(e.Name(), ".a") {
			if err := normalizeArchive(filepath.Join(dir, e.Name()), crate+extra); err != nil {
				return err
			}
		}
	}
	return nil
}
