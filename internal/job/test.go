package job

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// A test run's output (RunTest) holds what the harness printed, each stream in
// its file, and its exit status, always 0: a run that fails fails its
// derivation, so a failure is never kept as a result and running again retries it.

// TestStdout holds what a passing test run printed on stdout.
func TestStdout(out string) string { return out + "/stdout" }

// TestStderr holds what a passing test run printed on stderr.
func TestStderr(out string) string { return out + "/stderr" }

// TestStatusFile holds a passing run's exit status: "0".
func TestStatusFile(out string) string { return out + "/exit-status" }

// TestFailure is how the builder ends a failed run's log: Cargo's words for a
// process that failed, with its program and status ("exit status: 101", or
// the signal).
func TestFailure(program, status string) string {
	return fmt.Sprintf("process didn't exit successfully: `%s` (%s)", program, status)
}

var testFailureRe = regexp.MustCompile("process didn't exit successfully: `([^`]*)` \\(([^)]*)\\)$")

// ParseTestFailure reads a line TestFailure wrote (with whatever prefix the
// builder put before it): the program, the status, and the exit code, or -1
// when the process did not exit (a signal).
func ParseTestFailure(line string) (program, status string, code int, ok bool) {
	m := testFailureRe.FindStringSubmatch(line)
	if m == nil {
		return "", "", 0, false
	}
	code = -1
	if n, found := strings.CutPrefix(m[2], "exit status: "); found {
		if c, err := strconv.Atoi(n); err == nil {
			code = c
		}
	}
	return m[1], m[2], code, true
}
