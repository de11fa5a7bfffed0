// Package nixbuild runs `nix build` and follows its internal-json log: which derivations were built, their logs, and failures.
package nixbuild
