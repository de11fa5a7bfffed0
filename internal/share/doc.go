// Package share shares units through Nix binary caches: it pushes a build's
// derivations, sources, outputs and realisations to a store URL, asks caches
// what they hold, and turns Nix's substitution warnings into one notice each.
package share
