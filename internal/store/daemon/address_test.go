package daemon

import (
	"os"
	"path/filepath"
	"testing"
)

func TestResolveAddress(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "daemon-socket", "socket")
	if err := os.MkdirAll(filepath.Dir(existing), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(existing, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "state")
	for _, tc := range []struct {
		name string
		env  map[string]string
		want Address
	}{
		{"daemon", map[string]string{"NIX_REMOTE": "daemon", "NIX_STATE_DIR": missing},
			Address{Socket: missing + "/daemon-socket/socket", Required: true}},
		{"daemon socket path", map[string]string{"NIX_REMOTE": "daemon", "NIX_DAEMON_SOCKET_PATH": "/run/s"},
			Address{Socket: "/run/s", Required: true}},
		{"unix url", map[string]string{"NIX_REMOTE": "unix:///run/nix/s?max-connections=1"},
			Address{Socket: "/run/nix/s", Required: true}},
		{"unix url without path", map[string]string{"NIX_REMOTE": "unix://", "NIX_DAEMON_SOCKET_PATH": "/run/s"},
			Address{Socket: "/run/s", Required: true}},
		{"unset, socket exists", map[string]string{"NIX_STATE_DIR": dir}, Address{Socket: existing}},
		{"auto, no socket", map[string]string{"NIX_REMOTE": "auto", "NIX_STATE_DIR": missing}, Address{}},
		{"unset, no socket", map[string]string{"NIX_STATE_DIR": missing}, Address{}},
		{"local store", map[string]string{"NIX_REMOTE": "local?root=/tmp/r", "NIX_STATE_DIR": dir}, Address{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ResolveAddress(func(k string) string { return tc.env[k] })
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
