// Package e2e holds the integration tests: real Cargo, real rustc, real Nix, compared with `cargo run`.
package e2e
