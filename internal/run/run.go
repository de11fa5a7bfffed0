// Package run executes every external program the tool calls (cargo, nix, rustc,
// git, test executables) through one place, which can print each command line.
package run

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// Cmd describes one external process.
type Cmd struct {
	Dir   string   // working directory; "" = current
	Env   []string // extra KEY=VALUE pairs on top of the tool's own environment
	Args  []string // program and arguments
	Stdin io.Reader
	// Stderr, when set, receives the process's stderr live (it is captured too).
	Stderr io.Writer
}

// Trace, when set, receives each command line before it runs (`-vv`).
var Trace io.Writer

// Error is a failed process: program, arguments and what it said on stderr.
type Error struct {
	Args   []string
	Stderr string
	Err    error
}

func (e *Error) Error() string {
	msg := strings.TrimSpace(e.Stderr)
	if msg == "" {
		return fmt.Sprintf("%s: %v", strings.Join(e.Args, " "), e.Err)
	}
	return fmt.Sprintf("%s: %v\n%s", strings.Join(e.Args, " "), e.Err, msg)
}

func (e *Error) Unwrap() error { return e.Err }

// ExitCode is the process's exit status, or -1 if it did not exit normally.
func (e *Error) ExitCode() int {
	if ee, ok := e.Err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

// Command prepares c, printing it to Trace. Cancelling ctx sends the process
// SIGINT, as a terminal's Ctrl-C does, so it can clean up; it is killed only
// if it has not exited after grace.
func Command(ctx context.Context, c Cmd, grace time.Duration) *exec.Cmd {
	if Trace != nil {
		env := ""
		if len(c.Env) > 0 {
			env = Quote(c.Env) + " "
		}
		fmt.Fprintf(Trace, "+ %s%s\n", env, Quote(c.Args))
	}
	cmd := exec.CommandContext(ctx, c.Args[0], c.Args[1:]...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = grace
	cmd.Dir = c.Dir
	if len(c.Env) > 0 {
		cmd.Env = append(os.Environ(), c.Env...)
	}
	cmd.Stdin = c.Stdin
	return cmd
}

// Output runs c and returns its stdout. A non-zero exit is an *Error carrying stderr.
func Output(ctx context.Context, c Cmd) ([]byte, error) {
	cmd := Command(ctx, c, 10*time.Second)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if c.Stderr != nil {
		cmd.Stderr = io.MultiWriter(&stderr, c.Stderr)
	}
	err := cmd.Run()
	return stdout.Bytes(), wait(ctx, c, err, stderr.String())
}

// Stream runs c, handing each line of its stderr to onLine as it comes, and
// returns its stdout. The lines are not kept: a failure's *Error has no Stderr.
func Stream(ctx context.Context, c Cmd, grace time.Duration, onLine func(line string)) ([]byte, error) {
	cmd := Command(ctx, c, grace)
	pipe, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		return nil, &Error{Args: c.Args, Err: err}
	}
	r := bufio.NewReaderSize(pipe, 1<<16)
	for {
		line, err := r.ReadString('\n')
		if line != "" {
			onLine(strings.TrimRight(line, "\n"))
		}
		if err != nil {
			break // EOF, or the pipe closed under a killed process
		}
	}
	err = cmd.Wait()
	return stdout.Bytes(), wait(ctx, c, err, "")
}

func wait(ctx context.Context, c Cmd, err error, stderr string) error {
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", c.Args[0], context.Cause(ctx))
	}
	return &Error{Args: c.Args, Stderr: stderr, Err: err}
}

// Quote joins words as a POSIX shell would read them back.
func Quote(words []string) string {
	q := make([]string, len(words))
	for k, w := range words {
		if w != "" && strings.Trim(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=+/.,:@%") == "" {
			q[k] = w
		} else {
			q[k] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
		}
	}
	return strings.Join(q, " ")
}
