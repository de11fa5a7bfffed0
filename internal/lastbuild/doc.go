// Package lastbuild records each unit's inputs after a build (target/nix-unit/last-build.json),
// so `graph --why` can say what changed since: source, dependencies, flags, toolchain.
package lastbuild
