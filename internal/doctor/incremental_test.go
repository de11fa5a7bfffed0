package doctor

import (
	"strings"
	"testing"
)

func TestIncrementalFinding(t *testing.T) {
	for _, c := range []struct {
		name            string
		settings        map[string]string
		viaDaemon, root bool
		level, want     string
	}{
		{"single-user", map[string]string{"sandbox": "true", "build-users-group": ""}, false, true, OK, "builds run as you"},
		{"root through its own daemon", map[string]string{"sandbox": "true", "build-users-group": ""}, true, true, OK, "builds run as you"},
		{"sandbox off", map[string]string{"sandbox": "false"}, false, true, Note, "sandbox = false"},
		{"build users", map[string]string{"sandbox": "true", "build-users-group": "nixbld"}, false, true, Note, "build-users-group = nixbld cannot write"},
		{"multi-user daemon", map[string]string{"sandbox": "true", "build-users-group": ""}, true, false, Note, "the Nix daemon's build users cannot write"},
		{"auto-allocated uids", map[string]string{"sandbox": "relaxed", "auto-allocate-uids": "true"}, false, true, Note, "cannot write"},
	} {
		f := incrementalFinding(c.settings, c.viaDaemon, c.root)
		if f.Level != c.level || !strings.Contains(f.Detail, c.want) {
			t.Errorf("%s: %s %q, want %s with %q", c.name, f.Level, f.Detail, c.level, c.want)
		}
		if f.Level == Note && f.Fix == "" {
			t.Errorf("%s: a note without a fix", c.name)
		}
	}
}
