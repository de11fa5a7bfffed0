package builder

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/buildscript"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
)

// runTest runs a test executable, or rustdoc --test, as Cargo would, and keeps
// what it printed in the output. A run that fails fails the derivation: its
// output is in the log, ended by Cargo's words for the failed process.
func (b *builder) runTest() error {
	j := b.job
	args := append([]string{}, j.Args...)
	extra := map[string]string{}
	var own *buildscript.Output
	if o := j.Own; o != nil {
		out, err := buildscript.Read(job.DirectivesFile(o.Run))
		if err != nil {
			return err
		}
		own = out
		// Cargo gives the run its build script's OUT_DIR and rustc-env pairs
		// (cargo: compilation.rs, fill_env, extra_env).
		extra["OUT_DIR"] = job.OutDir(o.Run)
		for _, e := range out.Env {
			extra[e.Key] = e.Value
		}
	}
	if d := j.Doctest; d != nil {
		var err error
		if args, err = b.doctestArgs(args, d, own); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(b.out, 0o755); err != nil {
		return err
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(j.Program, args...)
	cmd.Dir = b.dir()
	cmd.Env = b.env(extra)
	// The log gets both streams as they come (nix build -L shows them live,
	// and a failed run's output is its log); the output keeps each apart.
	cmd.Stdout = io.MultiWriter(&stdout, b.stderr)
	cmd.Stderr = io.MultiWriter(&stderr, b.stderr)
	runErr := cmd.Run()
	if runErr != nil {
		var ee *exec.ExitError
		if !errors.As(runErr, &ee) {
			return fmt.Errorf("could not execute process `%s`: %w", commandLine(j.Program, args), runErr)
		}
		return errors.New(job.TestFailure(j.Program, exitStatus(ee)))
	}
	for path, data := range map[string][]byte{
		job.TestStdout(b.out): stdout.Bytes(), job.TestStderr(b.out): stderr.Bytes(), job.TestStatusFile(b.out): []byte("0\n"),
	} {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// exitStatus says how a process ended, as Rust's ExitStatus prints it.
func exitStatus(ee *exec.ExitError) string {
	if code := ee.ExitCode(); code >= 0 {
		return fmt.Sprintf("exit status: %d", code)
	}
	return "signal: " + strings.TrimPrefix(ee.ProcessState.String(), "signal: ")
}

// doctestArgs adds to rustdoc --test's arguments what Cargo adds once build
// scripts ran, each where Cargo puts it: -L for the scripts' search paths,
// -L dependency= for the libraries, and the own script's --cfg, --check-cfg
// and link arguments (cargo: build_runner/mod.rs, the to_doc_test collection).
func (b *builder) doctestArgs(args []string, d *job.DoctestArgs, own *buildscript.Output) ([]string, error) {
	n := len(args)
	if d.NativeAt < 0 || d.NativeAt > b.job.DepSearchAt || b.job.DepSearchAt > d.DirectivesAt || d.DirectivesAt > n {
		return nil, fmt.Errorf("doctest: argument positions %d, %d, %d out of order for %d arguments", d.NativeAt, b.job.DepSearchAt, d.DirectivesAt, n)
	}
	var directives []string
	if own != nil {
		for _, c := range own.Cfgs {
			directives = append(directives, "--cfg", c)
		}
		for _, c := range own.CheckCfgs {
			directives = append(directives, "--check-cfg", c)
		}
		linkArgs, _ := buildscript.Args(&buildscript.Run{Output: &buildscript.Output{LinkArgs: own.LinkArgs}}, b.job.Own.Receiver, nil)
		directives = append(directives, linkArgs...)
	}
	// Cargo passes the search paths of every build script of the build,
	// sorted; these are the doctest's own and its linked dependencies'.
	var native []string
	seen := map[string]bool{}
	runs := b.job.LinkSearch
	if b.job.Own != nil {
		runs = append([]string{b.job.Own.Run}, runs...)
	}
	for _, run := range runs {
		o, err := buildscript.Read(job.DirectivesFile(run))
		if err != nil {
			return nil, err
		}
		for _, p := range o.LinkSearch {
			if !seen[p] {
				seen[p] = true
				native = append(native, p)
			}
		}
	}
	sort.Strings(native)
	var deps []string
	// Each output's lib/, as compileWith passes them, not a directory of links.
	for _, out := range depClosure(b.job.DepSearch) {
		deps = append(deps, "-L", "dependency="+filepath.Join(out, "lib"))
	}
	var out []string
	out = append(out, args[:d.NativeAt]...)
	for _, p := range native {
		out = append(out, "-L", p)
	}
	out = append(out, args[d.NativeAt:b.job.DepSearchAt]...)
	out = append(out, deps...)
	out = append(out, args[b.job.DepSearchAt:d.DirectivesAt]...)
	out = append(out, directives...)
	return append(out, args[d.DirectivesAt:]...), nil
}
