// Package testrun shows a test command's runs as `cargo test` does, each in
// Cargo's order (Show), and runs test executables on the host for the tests
// that opt out of the sandbox (--on-host, or on-host in
// [package.metadata.nix-unit]): in the package's own directory, with the
// host's environment plus Cargo's variables, every time.
package testrun

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/buildscript"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/report"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/run"
)

// Host runs the test run n on the host, its output going to stdout and
// stderr. out gives each dependency's output path (they must be built). It
// returns how the run failed, or nil when it passed; an error is a run that
// could not start.
func Host(ctx context.Context, n *plan.Node, out func(*plan.Node) string, stdout, stderr io.Writer) (*report.RunFailure, error) {
	c, err := Command(n, out)
	if err != nil {
		return nil, err
	}
	cmd := run.Command(ctx, c, 0)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			return nil, fmt.Errorf("unit %s: could not execute process `%s`: %w", n, c.Args[0], err)
		}
		f := &report.RunFailure{Program: c.Args[0], Code: ee.ExitCode()}
		f.Status = fmt.Sprintf("exit status: %d", f.Code)
		if f.Code < 0 {
			f.Status = ee.ProcessState.String()
		}
		return f, nil
	}
	return nil, nil
}

// Command is n's process on the host: its job with every ref resolved, the
// package's directory instead of its store source, the host's PATH and
// environment, and its build script's OUT_DIR and rustc-env pairs.
func Command(n *plan.Node, out func(*plan.Node) string) (run.Cmd, error) {
	j := n.Job
	r := n.Replacer(out, func(s *plan.Source) string { return s.Dir })
	args := []string{r.Replace(j.Program)}
	for _, a := range j.Args {
		args = append(args, r.Replace(a))
	}
	env := map[string]string{}
	for k, v := range j.Env {
		if k != "PATH" { // the sandbox's; on the host the user's
			env[k] = r.Replace(v)
		}
	}
	if lib, ok := env["LD_LIBRARY_PATH"]; ok {
		if old := os.Getenv("LD_LIBRARY_PATH"); old != "" {
			env["LD_LIBRARY_PATH"] = lib + ":" + old
		}
	}
	if j.Own != nil {
		dir := r.Replace(j.Own.Run)
		o, err := buildscript.Read(job.DirectivesFile(dir))
		if err != nil {
			return run.Cmd{}, fmt.Errorf("unit %s: %w", n, err)
		}
		env["OUT_DIR"] = job.OutDir(dir)
		for _, e := range o.Env {
			env[e.Key] = e.Value
		}
	}
	pairs := make([]string, 0, len(env))
	for k, v := range env {
		pairs = append(pairs, k+"="+v)
	}
	sort.Strings(pairs)
	return run.Cmd{Dir: r.Replace(j.Dir), Env: pairs, Args: args}, nil
}
