// Package buildscript parses a build script's output and decides which units receive each directive, as Cargo does.
package buildscript
