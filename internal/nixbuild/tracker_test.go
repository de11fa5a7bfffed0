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

// A build that substitutes from a cache and builds on a remote machine, as
// Nix 2.26 logged it (shortened): substitutions are recorded, warnings kept
// without colours, and a remote build's second Build activity for the same
// derivation is not a second build.
func TestTrackerSubstitutesAndRemoteBuilds(t *testing.T) {
	const log = `@nix {"action":"start","fields":["/nix/store/eee-serde-1.0.152-lib","file:///tmp/cache"],"id":5,"level":0,"parent":0,"text":"","type":108}
@nix {"action":"msg","level":1,"msg":"\u001b[35;1mwarning:\u001b[0m ignoring substitute for '/nix/store/fff-syn-1.0.107-lib' from 'file:///tmp/cache', as it's not signed by any of the keys in 'trusted-public-keys'"}
@nix {"action":"start","id":6,"level":3,"parent":0,"text":"building '/nix/store/aaa-itoa-1.0.1-lib.drv' on 'ssh-ng://root@127.0.0.1'","type":105,"fields":["/nix/store/aaa-itoa-1.0.1-lib.drv","ssh-ng://root@127.0.0.1",1,1]}
@nix {"action":"start","id":7,"level":3,"parent":6,"text":"building '/nix/store/aaa-itoa-1.0.1-lib.drv'","type":105,"fields":["/nix/store/aaa-itoa-1.0.1-lib.drv","",1,1]}
@nix {"action":"stop","id":7}
@nix {"action":"stop","id":6}`
	tr := NewTracker()
	for _, l := range strings.Split(log, "\n") {
		if e, ok := ParseLine(l); ok {
			tr.Handle(e)
		}
	}
	if want := []string{"/nix/store/eee-serde-1.0.152-lib"}; !reflect.DeepEqual(tr.Substituted, want) {
		t.Errorf("substituted %q, want %q", tr.Substituted, want)
	}
	if want := []string{"/nix/store/aaa-itoa-1.0.1-lib.drv"}; !reflect.DeepEqual(tr.Built, want) {
		t.Errorf("built %q, want %q", tr.Built, want)
	}
	if len(tr.Running) != 0 {
		t.Errorf("still running: %q", tr.Running)
	}
	want := "ignoring substitute for '/nix/store/fff-syn-1.0.107-lib' from 'file:///tmp/cache', as it's not signed by any of the keys in 'trusted-public-keys'"
	if len(tr.Warnings) != 1 || tr.Warnings[0] != want {
		t.Errorf("warnings %q", tr.Warnings)
	}
}
