// Command cargo-nix-unit builds Cargo workspaces with Nix, one derivation per Cargo unit.
// Cargo runs it as `cargo-nix-unit nix-unit ARGS` for `cargo nix-unit ARGS`.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/engine"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	args := os.Args
	if len(args) > 1 && args[1] == "nix-unit" {
		args = append(args[:1:1], args[2:]...)
	}
	if err := newApp().RunContext(ctx, args); err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		var be *engine.BuildError
		if errors.As(err, &be) {
			os.Exit(101) // Cargo's status for a failed compilation
		}
		os.Exit(1)
	}
}
