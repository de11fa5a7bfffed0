package nixbuild

import (
	"strings"
	"testing"
)

// FuzzLog: no stderr line from nix (internal-json or not) makes ParseLine,
// Tracker.Handle or the tracker's queries panic. Seeds: lines captured from
// `nix build --log-format internal-json` and testdata/fuzz/FuzzLog.
func FuzzLog(f *testing.F) {
	for _, l := range []string{
		`@nix {"action":"start","id":1,"level":3,"type":105,"text":"building '/nix/store/aaaa-app.drv'","fields":["/nix/store/aaaa-app.drv","",1,1],"parent":0}`,
		`@nix {"action":"result","id":1,"type":101,"fields":["   Compiling"]}`,
		`@nix {"action":"start","id":2,"level":4,"type":111,"fields":["/nix/store/b-x.drv","/nix/store/c-x.drv"]}`,
		`@nix {"action":"msg","level":0,"msg":"\u001b[31;1merror:\u001b[0m builder for '/nix/store/aaaa-app.drv' failed with exit code 1"}`,
		`@nix {"action":"stop","id":1}`,
		`@nix {"action":"result","id":0,"type":105,"fields":[1,3,1,0]}`,
		`@nix {"action":"start","id":3,"type":105,"fields":[1]}`,
		`warning: not an event`,
		`@nix {`,
	} {
		f.Add(l)
	}
	f.Fuzz(func(t *testing.T, in string) {
		tr := NewTracker()
		tr.OnStart = func(drv string) { DrvName(drv) }
		tr.OnLog = func(drv, line string) {}
		for _, line := range strings.Split(in, "\n") {
			if e, ok := ParseLine(line); ok {
				tr.Handle(e)
			}
		}
		tr.CutOff()
		tr.FailedDrvs()
		for _, b := range tr.Built {
			DrvName(b)
		}
	})
}
