// Package run executes every external program the tool calls (cargo, nix, rustc) through one function.
package run

import (
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

// Trace, when set, receives each command line before it runs (`-v`).
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

// Output runs c and returns its stdout. A non-zero exit is an *Error carrying stderr.
func Output(ctx context.Context, c Cmd) ([]byte, error) {
	if Trace != nil {
		fmt.Fprintf(Trace, "+ %s\n", strings.Join(c.Args, " "))
	}
	cmd := exec.CommandContext(ctx, c.Args[0], c.Args[1:]...)
	// Cancelled (Ctrl-C, SIGTERM): the child gets SIGINT to clean up, then SIGKILL.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	cmd.Dir = c.Dir
	if len(c.Env) > 0 {
		cmd.Env = append(os.Environ(), c.Env...)
	}
	cmd.Stdin = c.Stdin
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if c.Stderr != nil {
		cmd.Stderr = io.MultiWriter(&stderr, c.Stderr)
	}
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return stdout.Bytes(), fmt.Errorf("%s: %w", c.Args[0], context.Cause(ctx))
		}
		return stdout.Bytes(), &Error{Args: c.Args, Stderr: stderr.String(), Err: err}
	}
	return stdout.Bytes(), nil
}
