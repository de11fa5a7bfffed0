package nixbuild

import (
	"encoding/json"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/ansi"
	"regexp"
	"strings"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
)

// Activity and result types of Nix's internal-json log (libutil/logging.hh).
const (
	actBuilds       = 104
	actBuild        = 105
	actSubstitute   = 108
	actBuildWaiting = 111
	resBuildLogLine = 101
	resProgress     = 105
)

// Event is one line of `--log-format internal-json` (after the "@nix " prefix).
type Event struct {
	Action string            `json:"action"` // start, stop, result, msg
	ID     uint64            `json:"id"`
	Level  int               `json:"level"`
	Type   int               `json:"type"`
	Text   string            `json:"text"`
	Msg    string            `json:"msg"`
	Fields []json.RawMessage `json:"fields"`
}

// ParseLine decodes one stderr line; ok is false for lines that are not events.
func ParseLine(line string) (Event, bool) {
	rest, ok := strings.CutPrefix(line, "@nix ")
	if !ok {
		return Event{}, false
	}
	var e Event
	if err := json.Unmarshal([]byte(rest), &e); err != nil {
		return Event{}, false
	}
	return e, true
}

func (e Event) field(i int) string {
	if i >= len(e.Fields) {
		return ""
	}
	var s string
	if json.Unmarshal(e.Fields[i], &s) != nil {
		return ""
	}
	return s
}

func (e Event) intField(i int) int {
	if i >= len(e.Fields) {
		return 0
	}
	var n int
	if json.Unmarshal(e.Fields[i], &n) != nil {
		return 0
	}
	return n
}

// Tracker follows a build's events: which derivations started building, which
// resolved to an existing result (early cutoff), their log lines and errors.
type Tracker struct {
	Built    []string          // drv paths whose builds started, in order
	waiting  [][2]string       // CA derivation → the resolved derivation it waits for
	original map[string]string // resolved derivation → the CA derivation it came from
	Errors   []string          // error messages from Nix
	// Warnings are Nix's warnings (an unreachable substituter, an unsigned
	// substitute, ...), without colours, in order.
	Warnings []string
	// Substituted lists the store paths Nix substituted, in start order.
	Substituted []string
	builds      map[uint64]string
	started     map[string]time.Time
	Running     []string                 // drv paths building now, in start order
	Duration    map[string]time.Duration // drv path → how long its build took
	Logs        map[string][]string      // drv path → its build log lines
	// Timings maps a drv path to its builder's phases (job.TimingsPrefix).
	Timings map[string]job.Timings
	// Progress is the Builds activity's last count: done, expected, running,
	// failed. With CA derivations Nix first expects to build every derivation with
	// a CA input, then lowers the count as they resolve to existing results. After
	// Freeze it no longer changes (Nix lowers it as it cancels).
	Progress   [4]int
	progressID uint64
	progressOK bool // the Builds activity started
	frozen     bool
	OnStart    func(drvPath string)
	OnStop     func(drvPath string)
	OnLog      func(drvPath, line string)
	OnProgress func()
	now        func() time.Time
}

// NewTracker returns an empty tracker.
func NewTracker() *Tracker {
	return &Tracker{builds: map[uint64]string{}, started: map[string]time.Time{}, original: map[string]string{},
		Duration: map[string]time.Duration{}, Logs: map[string][]string{}, Timings: map[string]job.Timings{}, now: time.Now}
}

// Handle records one event.
func (t *Tracker) Handle(e Event) {
	switch e.Action {
	case "start":
		switch e.Type {
		case actBuilds:
			t.progressID, t.progressOK = e.ID, true
		case actBuild:
			drv := e.field(0)
			t.builds[e.ID] = drv
			// A build on a remote builder shows up as two activities.
			if _, seen := t.started[drv]; seen {
				break
			}
			t.Built = append(t.Built, drv)
			t.Running = append(t.Running, drv)
			t.started[drv] = t.now()
			if t.OnStart != nil {
				t.OnStart(drv)
			}
		case actBuildWaiting:
			t.waiting = append(t.waiting, [2]string{e.field(0), e.field(1)})
			if e.field(1) != "" {
				t.original[e.field(1)] = e.field(0)
			}
		case actSubstitute:
			t.Substituted = append(t.Substituted, e.field(0))
		}
	case "stop":
		if drv, ok := t.builds[e.ID]; ok {
			delete(t.builds, e.ID)
			t.Duration[drv] = t.now().Sub(t.started[drv])
			for k, r := range t.Running {
				if r == drv {
					t.Running = append(t.Running[:k:k], t.Running[k+1:]...)
					break
				}
			}
			if t.OnStop != nil {
				t.OnStop(drv)
			}
		}
	case "result":
		switch {
		case e.Type == resBuildLogLine:
			if drv, ok := t.builds[e.ID]; ok {
				line := e.field(0)
				if rest, ok := strings.CutPrefix(line, job.TimingsPrefix); ok {
					var tm job.Timings
					if json.Unmarshal([]byte(rest), &tm) == nil {
						t.Timings[drv] = tm
						break
					}
				}
				t.Logs[drv] = append(t.Logs[drv], line)
				if t.OnLog != nil {
					t.OnLog(drv, line)
				}
			}
		case e.Type == resProgress && t.progressOK && e.ID == t.progressID && !t.frozen:
			for k := range t.Progress {
				t.Progress[k] = e.intField(k)
			}
			if t.OnProgress != nil {
				t.OnProgress()
			}
		}
	case "msg":
		switch e.Level {
		case 0:
			t.Errors = append(t.Errors, ansi.Strip(e.Msg))
		case 1:
			t.Warnings = append(t.Warnings, strings.TrimPrefix(ansi.Strip(e.Msg), "warning: "))
		}
	}
}

// Freeze keeps Progress as it is: the state when the build was interrupted.
func (t *Tracker) Freeze() { t.frozen = true }

var (
	failedRe = regexp.MustCompile(`builder for '(/nix/store/[^']+\.drv)' failed`)
)

// Original is the derivation that drv was resolved from (a content-addressed
// derivation whose inputs Nix replaced by their outputs), or drv itself.
func (t *Tracker) Original(drv string) string {
	if o, ok := t.original[drv]; ok {
		return o
	}
	return drv
}

// CutOff lists the CA derivations that resolved to a derivation that was not
// built in this run: an equivalent result existed already (early cutoff).
func (t *Tracker) CutOff() []string {
	built := map[string]bool{}
	for _, b := range t.Built {
		built[b] = true
	}
	var out []string
	for _, w := range t.waiting {
		if w[1] != "" && !built[w[1]] {
			out = append(out, w[0])
		}
	}
	return out
}

// FailedDrvs lists the derivations whose builders failed, from Nix's error messages.
func (t *Tracker) FailedDrvs() []string {
	var out []string
	for _, e := range t.Errors {
		for _, m := range failedRe.FindAllStringSubmatch(e, -1) {
			out = append(out, m[1])
		}
	}
	return out
}

// DrvName returns the name part of a .drv path: /nix/store/<hash>-<name>.drv → <name>.
func DrvName(p string) string {
	base := p[strings.LastIndexByte(p, '/')+1:]
	if i := strings.IndexByte(base, '-'); i >= 0 {
		base = base[i+1:]
	}
	return strings.TrimSuffix(base, ".drv")
}
