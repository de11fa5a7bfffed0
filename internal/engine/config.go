package engine

import (
	"io"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/gather"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/report"
)

// Config is everything one run of the tool needs, read from its flags.
type Config struct {
	Gather gather.Config
	Nix    string // the nix program
	System string // Nix system: "x86_64-linux"
	// CAMode is "auto", "on" or "off": content-addressed derivations.
	CAMode string
	// StoreClient is "auto", "daemon" or "cli": how derivations are registered.
	StoreClient string

	OutLink   string // the result's GC root
	NoLink    bool
	NoResult  bool // with NoLink: the result is the tool's own (check, clippy), its path not printed
	DryRun    bool // register and print the derivations, build nothing
	MaxJobs   string
	KeepGoing bool
	BuildLogs bool // -L: show every unit's build log

	JSON          bool // a JSON report on Stdout
	CargoMessages bool // --message-format json
	MessageANSI   bool // --message-format json-diagnostic-rendered-ansi: colours kept in "rendered"
	Timings       bool
	PrintOutPaths bool

	// Args and Environ are the command line and environment the no-op
	// fingerprint covers.
	Args, Environ []string

	Stdout, Stderr io.Writer
	Printer        *report.Printer
}

// printer is the configured printer, or plain lines on Stderr.
func (c *Config) printer() *report.Printer {
	if c.Printer == nil {
		c.Printer, _ = report.NewPrinter(c.Stderr, report.ColorNever, report.ProgressPlain, false, false)
	}
	return c.Printer
}

// resultBase is where the user finds the result: its link, or its store path
// out without one.
func (c *Config) resultBase(out string) string {
	if c.NoLink {
		return out
	}
	return c.OutLink
}
