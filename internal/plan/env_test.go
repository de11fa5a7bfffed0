package plan

import "testing"

func TestProfileRoot(t *testing.T) {
	inherits := map[string]string{"custom": "release", "deeper": "custom", "fast": "dev", "loop": "loop"}
	for name, want := range map[string]string{
		"dev": "debug", "test": "debug", "release": "release", "bench": "release",
		"custom": "release", "deeper": "release", "fast": "debug", "loop": "debug", "unknown": "debug",
	} {
		if got := profileRoot(name, inherits); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
}
