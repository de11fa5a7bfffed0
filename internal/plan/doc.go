// Package plan turns the gathered inputs into the build: one Node per Cargo
// unit, made once and carried through every later stage, holding the job its
// derivation runs — rustc's arguments and environment, or a build script's,
// exactly as Cargo would give them — its dependencies as nodes and its source.
// Planning is pure: New reads a plan.Input and does no I/O; Derive writes the
// derivations; File is the plan as data.
package plan
