// Package daemon is a client of the Nix daemon's worker protocol: it registers
// derivations and sources over one connection kept open for a whole run.
package daemon
