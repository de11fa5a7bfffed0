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
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/gather"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/report"
)

func main() {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-sigs
		signal.Stop(sigs) // a second Ctrl-C ends the tool at once
		cancel(signalError{s.(syscall.Signal)})
	}()
	args := os.Args
	if len(args) > 1 && args[1] == "nix-unit" {
		args = append(args[:1:1], args[2:]...)
	}
	args = storeURLLast(joinOptionArgs(args))
	if err := newApp().RunContext(ctx, args); err != nil {
		if code := interruptedStatus(ctx); code != 0 {
			msg := "interrupted; run the command again to continue"
			var ie *engine.InterruptedError
			if errors.As(err, &ie) {
				msg = ie.Error()
			}
			fmt.Fprintln(os.Stderr, msg)
			os.Exit(code)
		}
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		var be *report.BuildError
		if errors.As(err, &be) {
			if be.Code > 0 {
				os.Exit(be.Code)
			}
			os.Exit(101) // Cargo's status for a failed compilation
		}
		var ce *gather.CargoError
		if errors.As(err, &ce) {
			os.Exit(ce.Status) // Cargo rejected the command: its own status
		}
		os.Exit(1)
	}
}

// signalError cancels the run's context when a signal arrives.
type signalError struct{ sig syscall.Signal }

func (e signalError) Error() string { return e.sig.String() }

// interruptedStatus is the shell's status for death by the signal that cancelled
// ctx (128 + signal number: 130 for SIGINT, 143 for SIGTERM), or 0.
func interruptedStatus(ctx context.Context) int {
	var se signalError
	if errors.As(context.Cause(ctx), &se) {
		return 128 + int(se.sig)
	}
	return 0
}
