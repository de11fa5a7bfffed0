package engine

import "context"

// Push builds as Build does, then hands push every derivation of the plan (the
// units' and the result's .drv paths), the fetched sources' trees (units name
// them through fixed-output derivations) and whether they are
// content-addressed.
func Push(ctx context.Context, cfg *Config, push func(ctx context.Context, drvs, sources []string, ca bool) error) error {
	s := newSession(cfg)
	defer s.end()
	if _, err := s.build(ctx, false); err != nil || cfg.DryRun {
		return s.interruption(ctx, err)
	}
	s.stage = "pushing"
	var drvs []string
	for _, d := range s.plan.Drvs() {
		drvs = append(drvs, d.Path)
	}
	var sources []string
	for _, f := range s.plan.Fetches {
		sources = append(sources, f.Unpack.Out)
	}
	return s.interruption(ctx, push(ctx, drvs, sources, s.ca))
}
