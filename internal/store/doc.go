// Package store registers sources and derivations in the Nix store and asks which paths are valid.
package store
