package plan

// IncrementalMount is where a build finds the persistent incremental
// directories of the units (units/<key>, see job.IncrementalFiles for the
// rest): the tool mounts <target-dir>/nix-unit/incremental there through
// Nix's extra-sandbox-paths, a build setting. The path is fixed, so a
// derivation is the same on every machine, with or without the mount; without
// it the builder compiles in a scratch directory (internal/builder).
const IncrementalMount = "/cargo-nix-unit-incremental"

// IncrementalKey names unit i's incremental directory: its crate name and
// its hash, which covers what Cargo's -C metadata covers (package, target,
// mode, profile, features, platform, rustflags, compiler, dependencies) and
// not the sources, so the directory survives edits and changes when Cargo
// would start a new one.
func (c *planner) IncrementalKey(i int) string {
	u := &c.Graph.Units[i]
	return SanitizeName(u.Target.CrateName()) + "-" + c.Hash(i)
}

// IncrementalDir is the -C incremental= directory of unit i, or "" when Cargo
// compiles it from scratch. The unit graph's profile already says what Cargo
// decides (cargo: core/profiles.rs, get_profile): the profile's `incremental`,
// overridden by CARGO_INCREMENTAL or build.incremental, and false for every
// package that is not a path package.
func (c *planner) IncrementalDir(i int) string {
	if !c.Graph.Units[i].Profile.Incremental {
		return ""
	}
	return IncrementalMount + "/units/" + c.IncrementalKey(i)
}
