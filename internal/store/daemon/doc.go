// Package daemon is a client of the Nix daemon's worker protocol: it registers
// derivations and sources over one connection kept open for a whole run, and
// opens the store client a run asks for (OpenStore), falling back to the nix
// CLI where the protocol is not available.
package daemon
