package daemon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/store"
)

// OpenStore opens the store client that client (--store-client) names:
// "daemon" this package's, "cli" the nix CLI (store.CLI), and "auto" (or "")
// this package's, falling back to the CLI with a notice on log when the
// daemon protocol is not available. closer ends the connection, whose
// temporary roots keep what was added until then.
func OpenStore(ctx context.Context, client, nix string, log io.Writer) (st store.Store, closer func() error, err error) {
	if client != "cli" {
		d, err := Open(ctx, nix, store.Features, log)
		if err == nil {
			return d, d.Close, nil
		}
		// An unreachable daemon or a read-only store fails nix derivation add
		// too: one error, no notice.
		var ue *UnreachableError
		var ro *store.ReadOnlyError
		if err = store.ReadOnly(err); client == "daemon" || errors.As(err, &ue) || errors.As(err, &ro) {
			return nil, nil, err
		}
		// The reason may follow on the next lines (a spawned daemon's stderr).
		reason := strings.Join(strings.Fields(err.Error()), " ")
		fmt.Fprintf(log, "%12s cannot use the Nix daemon protocol (%s); using nix derivation add\n", "Note", reason)
	}
	// A daemon socket NIX_REMOTE names that nobody answers fails every `nix`
	// call: this package's one error, not Nix's two lines per call.
	if err := CheckSocket(ResolveAddress(os.Getenv)); err != nil {
		return nil, nil, err
	}
	cli, err := store.NewCLI(ctx, nix)
	if err != nil {
		return nil, nil, err
	}
	return cli, func() error { return nil }, nil
}
