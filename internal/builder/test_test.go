package builder

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/buildscript"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testtool"
)

// A test run keeps stdout and stderr apart in its output and gets its build
// script's OUT_DIR and rustc-env pairs; a failing one fails with Cargo's words
// and leaves its output in the log.
func TestRunTest(t *testing.T) {
	testtool.Require(t, "sh")
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	os.Mkdir(run, 0o755)
	if err := (&buildscript.Output{Env: []buildscript.EnvVar{{Key: "BUILT_BY", Value: "build.rs"}}}).Write(job.DirectivesFile(run)); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "harness")
	os.WriteFile(exe, []byte("#!/bin/sh\necho \"out $BUILT_BY $OUT_DIR $1 $(pwd)\"\necho err >&2\nexit $CODE\n"), 0o755)
	pkg := filepath.Join(dir, "pkg")
	os.Mkdir(pkg, 0o755)
	runJob := func(code string) (string, error) {
		out := filepath.Join(dir, "out-"+code)
		j := &job.Job{Unit: "t v1.0.0 (test it)", Action: job.RunTest, Program: exe, Args: []string{"--nocapture"}, Dir: pkg,
			Env: map[string]string{"CODE": code}, Own: &job.OwnDirectives{Run: run}}
		enc, err := j.Encode()
		if err != nil {
			t.Fatal(err)
		}
		env := map[string]string{"out": out, job.EnvVar: enc, "NIX_BUILD_TOP": dir}
		var log strings.Builder
		err = Main(func(k string) string { return env[k] }, &log)
		return log.String(), err
	}
	log, err := runJob("0")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out-0")
	stdout, _ := os.ReadFile(job.TestStdout(out))
	stderr, _ := os.ReadFile(job.TestStderr(out))
	if want := "out build.rs " + job.OutDir(run) + " --nocapture " + pkg + "\n"; string(stdout) != want || string(stderr) != "err\n" {
		t.Errorf("kept stdout %q, stderr %q; want %q, %q", stdout, stderr, want, "err\n")
	}
	if !strings.Contains(log, "err\n") {
		t.Errorf("the log lacks the run's output: %q", log)
	}

	log, err = runJob("101")
	if err == nil || !strings.Contains(err.Error(), job.TestFailure(exe, "exit status: 101")) {
		t.Errorf("failing run: %v", err)
	}
	if !strings.Contains(log, "out build.rs") {
		t.Errorf("the failing run's log lacks its output: %q", log)
	}
	if _, err := os.Stat(job.TestStdout(filepath.Join(dir, "out-101"))); err == nil {
		t.Error("a failing run kept an output")
	}
}
