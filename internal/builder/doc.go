// Package builder runs one job inside a Nix derivation: rustc, a build script, or collecting binaries.
package builder
