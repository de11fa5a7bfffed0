// Package manifest reads what Cargo takes from Cargo.toml but neither the unit
// graph nor `cargo metadata` reports: [lints], targets' `harness` and custom
// profiles' `inherits`.
package manifest
