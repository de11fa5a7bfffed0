// Package derivation turns planned units into Nix derivations, content-addressed or input-addressed.
package derivation
