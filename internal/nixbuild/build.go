package nixbuild

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/run"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/store"
)

// Options for one `nix build`.
type Options struct {
	Nix          string
	Installables []string // "/nix/store/x.drv^out"
	OutLink      string   // "" with NoLink
	NoLink       bool
	MaxJobs      string
	KeepGoing    bool
	NixOptions   [][2]string // --option NAME VALUE pairs
}

// Result is what a build produced.
type Result struct {
	OutPaths []string
}

// Run builds and feeds every log event to t. On failure the error carries Nix's messages.
func Run(ctx context.Context, o Options, t *Tracker) (*Result, error) {
	nix := o.Nix
	if nix == "" {
		nix = "nix"
	}
	args := append([]string{nix}, store.Features...)
	args = append(args, "build", "--log-format", "internal-json", "-L", "--print-out-paths")
	if o.NoLink || o.OutLink == "" {
		args = append(args, "--no-link")
	} else {
		args = append(args, "--out-link", o.OutLink)
	}
	if o.MaxJobs != "" {
		args = append(args, "--max-jobs", o.MaxJobs)
	}
	if o.KeepGoing {
		args = append(args, "--keep-going")
	}
	for _, kv := range o.NixOptions {
		args = append(args, "--option", kv[0], kv[1])
	}
	args = append(args, o.Installables...)
	var other []string
	// On cancellation nix gets SIGINT, as from a terminal's Ctrl-C: it stops its
	// builders and releases its locks; only if it hangs is it killed.
	stdout, err := run.Stream(ctx, run.Cmd{Args: args}, 30*time.Second, func(line string) {
		if ctx.Err() != nil {
			t.Freeze() // what follows is Nix cancelling builds
		}
		if e, ok := ParseLine(line); ok {
			t.Handle(e)
		} else if l := strings.TrimSpace(line); l != "" {
			other = append(other, l)
		}
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("nix build: %w", context.Cause(ctx))
		}
		var re *run.Error
		if errors.As(err, &re) {
			err = re.Err
		}
		msgs := append(t.Errors, other...)
		return nil, fmt.Errorf("nix build failed (%v): %s", err, strings.Join(msgs, "\n"))
	}
	return &Result{OutPaths: strings.Fields(string(stdout))}, nil
}
