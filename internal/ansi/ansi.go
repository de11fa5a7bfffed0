// Package ansi removes terminal colour codes from text meant for a file or a pipe.
package ansi

import "regexp"

var escape = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")

// Strip removes ANSI escape sequences (colours, cursor moves) from s.
func Strip(s string) string { return escape.ReplaceAllString(s, "") }
