// Package engine runs the pipeline: unit graph → plans → derivations → store → nix build → report.
package engine
