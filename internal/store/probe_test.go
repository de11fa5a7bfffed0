package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"
)

// probeStore answers the CA probe: it holds nothing and accepts or refuses
// the probe's derivation; probed counts registrations.
type probeStore struct {
	refuse error
	probed int
}

func (s *probeStore) ValidPaths(context.Context, []string) (map[string]bool, error) {
	return map[string]bool{}, nil
}
func (s *probeStore) AddPath(context.Context, string, string, string) error { return nil }
func (s *probeStore) AddFlat(context.Context, string, string, string) error { return nil }
func (s *probeStore) AddDerivation(context.Context, *nixdrv.Derivation, string) error {
	s.probed++
	return s.refuse
}

func TestResolveCA(t *testing.T) {
	noCA := errors.New("experimental Nix feature 'ca-derivations' is disabled")
	broken := errors.New("cannot connect")
	for _, tc := range []struct {
		mode   string
		refuse error
		ca     bool
		probed int
		err    string
	}{
		{"on", nil, true, 0, ""},
		{"off", nil, false, 0, ""},
		{"auto", nil, true, 1, ""},
		{"", nil, true, 1, ""},
		{"auto", noCA, false, 1, ""},
		{"auto", broken, false, 1, "cannot connect"},
		{"yes", nil, false, 0, "--content-addressed=yes: want auto, on or off"},
	} {
		s := &probeStore{refuse: tc.refuse}
		ca, err := ResolveCA(context.Background(), tc.mode, s, "x86_64-linux")
		if ca != tc.ca || s.probed != tc.probed || (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("ResolveCA(%q, refusing %v) = %v, %v after %d probes; want %v, %q after %d", tc.mode, tc.refuse, ca, err, s.probed, tc.ca, tc.err, tc.probed)
		}
	}
}
