package nixbuild

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
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
	args := []string{"--extra-experimental-features", "nix-command ca-derivations", "build",
		"--log-format", "internal-json", "-L", "--print-out-paths"}
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
	cmd := exec.CommandContext(ctx, nix, args...)
	// On cancellation nix gets SIGINT, as from a terminal's Ctrl-C: it stops its
	// builders and releases its locks; only if it hangs is it killed.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	var stdout strings.Builder
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting nix build: %w", err)
	}
	var other []string
	r := bufio.NewReaderSize(stderr, 1<<16)
	for {
		line, err := r.ReadString('\n')
		if ctx.Err() != nil {
			t.Freeze() // what follows is Nix cancelling builds
		}
		if line != "" {
			if e, ok := ParseLine(strings.TrimRight(line, "\n")); ok {
				t.Handle(e)
			} else if l := strings.TrimSpace(line); l != "" {
				other = append(other, l)
			}
		}
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
	}
	if err := cmd.Wait(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("nix build: %w", context.Cause(ctx))
		}
		msgs := append(t.Errors, other...)
		return nil, fmt.Errorf("nix build failed (%v): %s", err, strings.Join(msgs, "\n"))
	}
	return &Result{OutPaths: strings.Fields(stdout.String())}, nil
}

// OutPaths asks Nix for the "out" path of each derivation, building nothing new
// when they are valid already (content-addressed outputs are known only to Nix).
func OutPaths(ctx context.Context, nix string, drvs []string) (map[string]string, error) {
	if nix == "" {
		nix = "nix"
	}
	args := []string{"--extra-experimental-features", "nix-command ca-derivations", "build", "--no-link", "--json"}
	for _, d := range drvs {
		args = append(args, d+"^out")
	}
	var stderr strings.Builder
	cmd := exec.CommandContext(ctx, nix, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("asking nix for output paths: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	var res []struct {
		DrvPath string            `json:"drvPath"`
		Outputs map[string]string `json:"outputs"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		return nil, fmt.Errorf("reading nix build --json: %w", err)
	}
	paths := map[string]string{}
	for _, r := range res {
		paths[r.DrvPath] = r.Outputs["out"]
	}
	return paths, nil
}
