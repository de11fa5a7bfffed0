package store

import (
	"errors"
	"fmt"
	"testing"
)

func TestCollected(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		// Messages of nix 2.26, captured after `nix-store --delete`.
		{errors.New("registering /nix/store/x-app.drv: nix derivation add: exit status 1\nerror: path '/nix/store/mrv34qh02qn42gqgsgqiwyv7hc8bdar7-greeter-0.2.1-lib.drv' is not valid"), true},
		{fmt.Errorf("nix build failed (exit status 1): error: cannot build missing derivation '/nix/store/wx3cr83afq7vlgxm7jkhbb4qlp82ngly-reliab-ws.drv'"), true},
		{errors.New("nix build failed: builder for '/nix/store/x.drv' failed with exit code 1"), false},
	} {
		if got := Collected(tc.err); got != tc.want {
			t.Errorf("Collected(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}
