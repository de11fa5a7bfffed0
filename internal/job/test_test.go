package job

import "testing"

func TestParseTestFailure(t *testing.T) {
	for _, c := range []struct {
		line, program, status string
		code                  int
		ok                    bool
	}{
		{"error: tested v0.1.0 (lib-test tested): " + TestFailure("/nix/store/x-t/bin/t", "exit status: 101"), "/nix/store/x-t/bin/t", "exit status: 101", 101, true},
		{TestFailure("/bin/t", "signal: 11, SIGSEGV: invalid memory reference"), "/bin/t", "signal: 11, SIGSEGV: invalid memory reference", -1, true},
		{"test result: FAILED. 1 passed; 1 failed", "", "", 0, false},
	} {
		program, status, code, ok := ParseTestFailure(c.line)
		if program != c.program || status != c.status || code != c.code || ok != c.ok {
			t.Errorf("%q: %q %q %d %v, want %q %q %d %v", c.line, program, status, code, ok, c.program, c.status, c.code, c.ok)
		}
	}
}
