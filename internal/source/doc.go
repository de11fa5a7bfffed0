// Package source selects the files of a package that go into the Nix store and computes their store path.
package source
