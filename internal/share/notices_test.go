package share

import (
	"reflect"
	"testing"
)

func TestNotices(t *testing.T) {
	const retry = "error: unable to download 'http://127.0.0.1:9/nix-cache-info': Could not connect to server (7) Failed to connect to 127.0.0.1 port 9 after 0 ms: Could not connect to server; retrying in 317 ms"
	const final = "unable to download 'http://127.0.0.1:9/nix-cache-info': Could not connect to server (7) Failed to connect to 127.0.0.1 port 9 after 0 ms: Could not connect to server"
	unsigned := func(p string) string {
		return "ignoring substitute for '/nix/store/" + p + "' from 'file:///tmp/cache', as it's not signed by any of the keys in 'trusted-public-keys'"
	}
	for _, c := range []struct {
		name     string
		warnings []string
		want     []string
	}{
		{"none", nil, nil},
		{"unreachable, retried", []string{retry, retry, final},
			[]string{"substituter http://127.0.0.1:9 is unreachable (Could not connect to server (7) Failed to connect to 127.0.0.1 port 9 after 0 ms: Could not connect to server); what it would have supplied is built here"}},
		{"unsigned, counted", []string{unsigned("aaa-x"), unsigned("bbb-y")},
			[]string{"substituter file:///tmp/cache offered 2 paths not signed by a key in trusted-public-keys; they were built here (trust the cache's public key, or push with a key you trust)"}},
		{"no machine, collapsed", []string{
			"Failed to find a machine for remote build!\nderivation: aaa-x.drv\nrequired (system, features): (x86_64-linux, [ca-derivations])\n1 available machines:\n(systems, maxjobs, supportedFeatures, mandatoryFeatures)\n([x86_64-linux], 2, [], [])",
			"Failed to find a machine for remote build!\nderivation: bbb-y.drv\nrequired (system, features): (x86_64-linux, [ca-derivations])\n1 available machines:\n(systems, maxjobs, supportedFeatures, mandatoryFeatures)\n([x86_64-linux], 2, [], [])"},
			[]string{"no remote builder takes 2 derivations needing (system, features) (x86_64-linux, [ca-derivations]); 1 available machines: (systems, maxjobs, supportedFeatures, mandatoryFeatures) ([x86_64-linux], 2, [], [])"}},
		{"others once", []string{"some warning\n  on two lines", "some warning on two lines"},
			[]string{"some warning on two lines"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Notices(c.warnings); !reflect.DeepEqual(got, c.want) {
				t.Errorf("Notices =\n%q\nwant\n%q", got, c.want)
			}
			if got := Unreachable(c.warnings); c.name == "unreachable, retried" && !got["http://127.0.0.1:9"] || c.name != "unreachable, retried" && len(got) > 0 {
				t.Errorf("Unreachable = %v", got)
			}
		})
	}
}
