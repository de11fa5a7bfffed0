package daemon

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenStoreUnreachable: a socket NIX_REMOTE requires that nobody answers
// is one *UnreachableError and no notice, whichever client is asked for.
func TestOpenStoreUnreachable(t *testing.T) {
	socket := filepath.Join(t.TempDir(), "socket")
	t.Setenv("NIX_REMOTE", "unix://"+socket)
	for _, client := range []string{"auto", "", "daemon", "cli"} {
		var log strings.Builder
		st, closer, err := OpenStore(context.Background(), client, "nix", &log)
		var ue *UnreachableError
		if !errors.As(err, &ue) || ue.Socket != socket {
			t.Errorf("client %q: got %v, %v, want an *UnreachableError for %s", client, st, err, socket)
		}
		if closer != nil {
			t.Errorf("client %q: a closer without a store", client)
		}
		if log.Len() > 0 {
			t.Errorf("client %q: noticed %q", client, log.String())
		}
	}
}
