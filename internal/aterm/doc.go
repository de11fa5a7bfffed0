// Package aterm writes derivations in Nix's exact ATerm text and computes the store paths Nix gives them.
package aterm
