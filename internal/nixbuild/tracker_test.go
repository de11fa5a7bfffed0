package nixbuild

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// A build's events as `nix build --log-format internal-json` wrote them (Nix 2.26),
// shortened: two units built, one CA unit resolved to an existing result.
const sampleLog = `@nix {"action":"start","id":1,"level":0,"parent":0,"text":"","type":104}
@nix {"action":"start","id":2,"level":3,"parent":0,"text":"building '/nix/store/aaa-greeter-0.2.1-lib.drv'","type":105,"fields":["/nix/store/aaa-greeter-0.2.1-lib.drv","",1,1]}
@nix {"action":"result","fields":[0,2,1,0],"id":1,"type":105}
@nix {"action":"result","fields":["warning: unused variable"],"id":2,"type":101}
@nix {"action":"result","fields":["@cargo-nix-unit-timings {\"output\":0.01,\"run\":0.5,\"setup\":0.02}"],"id":2,"type":101}
@nix {"action":"stop","id":2}
@nix {"action":"start","id":3,"level":4,"parent":0,"text":"","type":111,"fields":["/nix/store/bbb-app-1.0.0-bin-app.drv","/nix/store/ccc-app-1.0.0-bin-app.drv"]}
@nix {"action":"result","fields":[1,2,0,0],"id":1,"type":105}
@nix {"action":"msg","level":0,"msg":"\u001b[31;1merror:\u001b[0m builder for '/nix/store/ddd-x.drv' failed with exit code 1"}
not an event
`

func TestTracker(t *testing.T) {
	tr := NewTracker()
	clock := time.Unix(0, 0)
	tr.now = func() time.Time { clock = clock.Add(time.Second); return clock }
	var started, stopped []string
	progress := 0
	tr.OnStart = func(d string) { started = append(started, d) }
	tr.OnStop = func(d string) { stopped = append(stopped, d) }
	tr.OnProgress = func() { progress++ }
	for _, l := range strings.Split(sampleLog, "\n") {
		if e, ok := ParseLine(l); ok {
			tr.Handle(e)
		}
	}
	greeter := "/nix/store/aaa-greeter-0.2.1-lib.drv"
	if !reflect.DeepEqual(started, []string{greeter}) || !reflect.DeepEqual(stopped, []string{greeter}) {
		t.Errorf("started %q, stopped %q", started, stopped)
	}
	if len(tr.Running) != 0 {
		t.Errorf("still running: %q", tr.Running)
	}
	if tr.Duration[greeter] != time.Second {
		t.Errorf("greeter took %v, want 1s", tr.Duration[greeter])
	}
	if tr.Progress != [4]int{1, 2, 0, 0} || progress != 2 {
		t.Errorf("progress %v after %d updates", tr.Progress, progress)
	}
	if got := tr.Logs[greeter]; !reflect.DeepEqual(got, []string{"warning: unused variable"}) {
		t.Errorf("log %q", got)
	}
	if got := tr.Timings[greeter]; got["run"] != 0.5 || got["setup"] != 0.02 || got["output"] != 0.01 {
		t.Errorf("builder timings %v", got)
	}
	if got := tr.CutOff(); !reflect.DeepEqual(got, []string{"/nix/store/bbb-app-1.0.0-bin-app.drv"}) {
		t.Errorf("cut off %q", got)
	}
	if got := tr.FailedDrvs(); !reflect.DeepEqual(got, []string{"/nix/store/ddd-x.drv"}) {
		t.Errorf("failed %q", got)
	}
	if DrvName(greeter) != "greeter-0.2.1-lib" {
		t.Errorf("DrvName = %q", DrvName(greeter))
	}
}
