// Package manifest reads what Cargo takes from Cargo.toml but neither the unit
// graph nor `cargo metadata` reports: [lints] and targets' `harness`.
package manifest
