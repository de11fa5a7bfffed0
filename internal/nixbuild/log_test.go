package nixbuild

import (
	"strings"
	"testing"
)

// Lines captured from nix 2.26 (`nix build --log-format internal-json`) building three
// derivations; the tracker is frozen before the first failed.
const progressLog = `@nix {"action":"start","id":434,"level":0,"parent":0,"text":"","type":104}
@nix {"action":"result","fields":[0,1,0,0],"id":434,"type":105}
@nix {"action":"result","fields":[0,3,0,0],"id":434,"type":105}
@nix {"action":"result","fields":[0,0,0,0],"id":435,"type":105}
@nix {"action":"start","fields":["/nix/store/14x7q84xddlm5rcwks1cmy2gvbwbkrgz-reliab-t-a.drv","",1,1],"id":437,"level":3,"parent":0,"text":"building","type":105}
@nix {"action":"result","fields":[1,3,1,0],"id":434,"type":105}
freeze
@nix {"action":"result","fields":[1,2,0,1],"id":434,"type":105}
@nix {"action":"stop","id":437}`

func TestTrackerProgress(t *testing.T) {
	tr := NewTracker()
	for _, l := range strings.Split(progressLog, "\n") {
		if l == "freeze" {
			tr.Freeze()
			continue
		}
		e, ok := ParseLine(l)
		if !ok {
			t.Fatalf("not an event: %s", l)
		}
		tr.Handle(e)
	}
	if tr.Progress[1] != 3 || tr.Progress[0] != 1 {
		t.Errorf("expected %d, done %d; want 3 and 1", tr.Progress[1], tr.Progress[0])
	}
	if len(tr.Built) != 1 || DrvName(tr.Built[0]) != "reliab-t-a" {
		t.Errorf("built %q", tr.Built)
	}
}
