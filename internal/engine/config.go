package engine

import (
	"io"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/toolchain"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// Config is everything one run of the tool needs.
type Config struct {
	Query       unitgraph.Query
	Rustc       string         // "" = rustc on PATH
	Toolchain   toolchain.Mode // --toolchain: "" = store
	Nix         string         // "" = nix on PATH
	BuilderPath string         // "" = next to this program
	System      string         // Nix system, "x86_64-linux"
	// CAMode is "auto", "on" or "off"; CA is the decision Prepare uses.
	CAMode string
	CA     bool

	OutLink   string
	NoLink    bool
	DryRun    bool
	MaxJobs   string
	KeepGoing bool
	BuildLogs bool // -L: show every unit's build log

	Stdout, Stderr io.Writer
	// Printer shows progress on Stderr; nil prints plain lines.
	Printer *Printer
	// NoCache asks Cargo and rustc again instead of reusing their last answers.
	NoCache bool

	Start time.Time // when the command started: caches record only older inputs
}

func (c *Config) printer() *Printer {
	if c.Printer == nil {
		c.Printer, _ = NewPrinter(c.Stderr, ColorNever, ProgressPlain, false, false)
	}
	return c.Printer
}
