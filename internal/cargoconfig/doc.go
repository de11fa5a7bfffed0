// Package cargoconfig reads what Cargo takes from its configuration files and
// environment but leaves out of the unit graph: rustflags, linkers and [env].
package cargoconfig
