package nixbuild

import "testing"

func TestBuilderFailure(t *testing.T) {
	// What nix build said (Nix 2.26) with -j 0 and an ssh-ng builder on a closed port.
	const unreachable = `nix build failed (exit status 1): cannot build on 'ssh-ng://root@127.0.0.1?ssh-key=/tmp/k': error: failed to start SSH connection to 'root@127.0.0.1'
error:
       Unable to start any build;
       remote machines may not have all required system features.
ssh: connect to host 127.0.0.1 port 9: Connection refused`
	for _, c := range []struct {
		name, msg, want string
		ok              bool
	}{
		{"unreachable", unreachable, "cannot build on the remote builder ssh-ng://root@127.0.0.1?ssh-key=/tmp/k: failed to start SSH connection to 'root@127.0.0.1' (ssh: connect to host 127.0.0.1 port 9: Connection refused); check it with `cargo nix-unit doctor --builders …`", true},
		{"no machine", "nix build failed (exit status 1): error:\n       Unable to start any build;\n       remote machines may not have all required system features.", NoMachine, true},
		{"other failure", "nix build failed (exit status 1): builder for '/nix/store/x.drv' failed", "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, ok := BuilderFailure(c.msg)
			if got != c.want || ok != c.ok {
				t.Errorf("BuilderFailure = %q, %v\nwant %q, %v", got, ok, c.want, c.ok)
			}
		})
	}
}
