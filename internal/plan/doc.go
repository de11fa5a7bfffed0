// Package plan turns each Cargo unit into the job its derivation runs: rustc's
// arguments and environment, or a build script's, exactly as Cargo would give them.
// Planning is pure: it reads the unit graph and a description of the toolchain.
package plan
