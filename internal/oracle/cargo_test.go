package oracle

import (
	"fmt"
	"strings"
)

// invocation is one process Cargo ran, as `cargo build -vv` prints it:
// "Running `KEY=VALUE ... program args...`", the words shell-quoted.
type invocation struct {
	Env     map[string]string
	Program string
	Args    []string
}

// parseRunning extracts every "Running `...`" command from Cargo's -vv output.
// A command may span lines (an environment value with a newline, such as a
// package description) and may contain backticks inside quotes; it ends at the
// first unquoted backtick.
func parseRunning(out string) ([]invocation, error) {
	var invs []invocation
	rest := out
	for {
		k := strings.Index(rest, "Running `")
		if k < 0 {
			return invs, nil
		}
		// Only at the start of a line (after Cargo's right-aligned status column).
		if line := rest[strings.LastIndexByte(rest[:k], '\n')+1 : k]; strings.TrimSpace(line) != "" {
			rest = rest[k+len("Running `"):]
			continue
		}
		words, n, err := shellWords(rest[k+len("Running `"):])
		if err != nil {
			return nil, fmt.Errorf("cargo output at %q: %w", abbreviate(rest[k:]), err)
		}
		rest = rest[k+len("Running `")+n:]
		inv := invocation{Env: map[string]string{}}
		i := 0
		for ; i < len(words); i++ {
			key, val, ok := strings.Cut(words[i], "=")
			if !ok || !isEnvName(key) {
				break
			}
			inv.Env[key] = val
		}
		if i == len(words) {
			return nil, fmt.Errorf("cargo output: command without a program: %q", words)
		}
		inv.Program, inv.Args = words[i], words[i+1:]
		invs = append(invs, inv)
	}
}

// shellWords splits s the way a POSIX shell would, as Cargo's shell_escape
// quotes: 'single quotes' and backslash escapes outside them. It stops after the
// first unquoted backtick and returns the words and the bytes consumed.
func shellWords(s string) ([]string, int, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '`':
			if inWord {
				words = append(words, cur.String())
			}
			return words, i + 1, nil
		case ' ', '\t', '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, 0, fmt.Errorf("unterminated quote")
			}
			cur.WriteString(s[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case '"':
			// Cargo never uses double quotes for quoting; take them literally.
			cur.WriteByte(c)
			inWord = true
		case '\\':
			if i+1 < len(s) {
				i++
				cur.WriteByte(s[i])
			}
			inWord = true
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	return nil, 0, fmt.Errorf("no closing backtick")
}

// isEnvName accepts what Cargo sets as a variable name: anything without '/'
// (CARGO_BIN_EXE_<name> keeps a bin's dashes), unlike the program, a path.
func isEnvName(s string) bool {
	return s != "" && !strings.ContainsAny(s, "/ ")
}

func abbreviate(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
