// Package report shows a build as Cargo would: status lines and a live bar while
// it runs, the path packages' warnings, the summary, failures with their logs,
// and the machine-readable forms (--json, --message-format json).
package report

import (
	"fmt"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/ansi"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Printer writes progress the way Cargo does: right-aligned status words, and on
// a terminal a live bar at the bottom that the status lines scroll above.
type Printer struct {
	w       io.Writer
	Color   bool
	Live    bool // redraw a progress bar (a terminal)
	Quiet   bool // errors only
	Verbose bool // each unit's command line

	mu       sync.Mutex
	barShown bool
	status   *lipgloss.Style
	warn     *lipgloss.Style
	err      *lipgloss.Style
}

// Output settings: --color and --progress.
const (
	ColorAuto, ColorAlways, ColorNever = "auto", "always", "never"
	ProgressAuto, ProgressPlain        = "auto", "plain"
)

// NewPrinter decides colour and the live bar for w from the --color and
// --progress settings: both only on a terminal unless asked for.
func NewPrinter(w io.Writer, color, progress string, quiet, verbose bool) (*Printer, error) {
	tty := isTerminal(w)
	p := &Printer{w: w, Quiet: quiet, Verbose: verbose}
	switch color {
	case ColorAuto, "":
		p.Color = tty && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
	case ColorAlways:
		p.Color = true
	case ColorNever:
	default:
		return nil, fmt.Errorf("--color=%s: want auto, always or never", color)
	}
	switch progress {
	case ProgressAuto, "":
		p.Live = tty && os.Getenv("TERM") != "dumb" && !quiet
	case ProgressPlain:
	default:
		return nil, fmt.Errorf("--progress=%s: want auto or plain", progress)
	}
	r := lipgloss.NewRenderer(w)
	if p.Color {
		r.SetColorProfile(termenv.ANSI)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	status := r.NewStyle().Bold(true).Foreground(lipgloss.Color("2"))
	warn := r.NewStyle().Bold(true).Foreground(lipgloss.Color("3"))
	errStyle := r.NewStyle().Bold(true).Foreground(lipgloss.Color("1"))
	p.status, p.warn, p.err = &status, &warn, &errStyle
	return p, nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// Status prints one Cargo-style line: `   Compiling serde v1.0.152`.
func (p *Printer) Status(word, text string) {
	if p.Quiet {
		return
	}
	p.Line(fmt.Sprintf("%s %s", p.status.Render(fmt.Sprintf("%12s", word)), text))
}

// Line prints text above the bar.
func (p *Printer) Line(text string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearBar()
	fmt.Fprintln(p.w, text)
}

// Write prints raw text (diagnostics) above the bar.
func (p *Printer) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearBar()
	return p.w.Write(b)
}

// Bar redraws the live line: `    Building [=======>    ] 12/33: serde, syn`.
func (p *Printer) Bar(done, total int, running []string) {
	p.Progress("Building", done, total, running)
}

// Progress draws the live line with another word: `Testing [==>  ] 2/6`.
func (p *Printer) Progress(word string, done, total int, running []string) {
	if !p.Live || total <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	const width = 25
	filled := min(width, done*width/total)
	bar := strings.Repeat("=", filled)
	if filled < width {
		bar += ">" + strings.Repeat(" ", width-filled-1)
	}
	line := fmt.Sprintf("%s [%s] %d/%d", p.status.Render(fmt.Sprintf("%12s", word)), bar, done, total)
	if len(running) > 0 {
		line += ": " + strings.Join(running, ", ")
	}
	if max := 150; len(line) > max {
		line = line[:max-3] + "..."
	}
	fmt.Fprintf(p.w, "\r\x1b[K%s", line)
	p.barShown = true
}

// Done removes the bar for good.
func (p *Printer) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearBar()
}

func (p *Printer) clearBar() {
	if p.barShown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.barShown = false
	}
}

// Warning prints `warning: text` in Cargo's colours.
func (p *Printer) Warning(text string) {
	p.Line(p.warn.Render("warning") + ": " + text)
}

// Error prints `error: text` in Cargo's colours.
func (p *Printer) Error(text string) {
	p.Line(p.err.Render("error") + ": " + text)
}

// Diagnostics prints rustc's rendered text, without colours unless they are on.
func (p *Printer) Diagnostics(text string) {
	if p.Quiet || text == "" {
		return
	}
	if !p.Color {
		text = ansi.Strip(text)
	}
	p.Write([]byte(text))
}

// Notes prints each line as a note: what Nix warned of, one line per cause.
func (p *Printer) Notes(lines []string) {
	for _, l := range lines {
		p.Status("Note", l)
	}
}
