// Command cargo-nix-unit-builder is the builder of every derivation cargo-nix-unit
// writes. Its bytes are part of every derivation, so it changes only with its own code.
package main

import (
	"fmt"
	"os"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/builder"
)

func main() {
	if err := builder.Main(os.Getenv, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		os.Exit(1)
	}
}
