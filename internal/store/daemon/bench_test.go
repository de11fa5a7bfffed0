package daemon

import (
	"context"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/store"
)

// BenchmarkRegister registers 200 new derivations per iteration through the
// daemon client and through `nix derivation add`, reporting derivations/s.
//
//	go test -run '^$' -bench Register ./internal/store/daemon
func BenchmarkRegister(b *testing.B) {
	const n = 200
	ctx := context.Background()
	bench := func(b *testing.B, s store.Store) {
		var registered int
		for b.Loop() {
			b.StopTimer()
			drvs := chain(b, nonce(b), n)
			b.StartTimer()
			for _, d := range drvs {
				if err := s.AddDerivation(ctx, d, drvPath(b, d)); err != nil {
					b.Fatal(err)
				}
			}
			registered += n
		}
		b.ReportMetric(float64(registered)/b.Elapsed().Seconds(), "drvs/s")
	}
	b.Run("client", func(b *testing.B) { bench(b, openStore(b)) })
	b.Run("cli", func(b *testing.B) {
		requireNix(b)
		cli, err := store.NewCLI(ctx, "nix")
		if err != nil {
			b.Fatal(err)
		}
		bench(b, cli)
	})
}
