// Package share shares units through Nix binary caches: it pushes a build's
// derivations, sources, outputs and realisations to a store URL, asks caches
// what they hold, turns Nix's substitution warnings into one notice each, and
// says which units Nix substituted and when a cache lacks realisations.
package share
