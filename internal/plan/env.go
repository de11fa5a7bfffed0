package plan

import (
	"sort"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/buildscript"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// pkgEnv is the environment Cargo gives every process of a package
// (cargo: core/compiler/compilation.rs, fill_env): CARGO, the manifest and CARGO_PKG_*.
func (c *planner) pkgEnv(p *unitgraph.Package, src string) map[string]string {
	major, minor, patch, pre := splitVersion(p.Version)
	return map[string]string{
		"PATH":                    c.Toolchain.Path,
		"CARGO":                   c.Toolchain.Cargo,
		"CARGO_MANIFEST_DIR":      src,
		"CARGO_MANIFEST_PATH":     src + "/Cargo.toml",
		"CARGO_PKG_NAME":          p.Name,
		"CARGO_PKG_VERSION":       p.Version,
		"CARGO_PKG_VERSION_MAJOR": major,
		"CARGO_PKG_VERSION_MINOR": minor,
		"CARGO_PKG_VERSION_PATCH": patch,
		"CARGO_PKG_VERSION_PRE":   pre,
		"CARGO_PKG_AUTHORS":       strings.Join(p.Authors, ":"),
		"CARGO_PKG_DESCRIPTION":   unitgraph.Str(p.Description),
		"CARGO_PKG_HOMEPAGE":      unitgraph.Str(p.Homepage),
		"CARGO_PKG_REPOSITORY":    unitgraph.Str(p.Repository),
		"CARGO_PKG_LICENSE":       unitgraph.Str(p.License),
		"CARGO_PKG_LICENSE_FILE":  unitgraph.Str(p.LicenseFile),
		"CARGO_PKG_RUST_VERSION":  unitgraph.Str(p.RustVersion),
		"CARGO_PKG_README":        unitgraph.Str(p.Readme),
	}
}

// unitRustflags are the flags Cargo appends to a unit's rustc call: RUSTFLAGS or
// the configuration's for its platform, then the profile's (cargo:
// core/compiler/mod.rs, build_base_args, unit.rustflags).
func (c *planner) unitRustflags(u *unitgraph.Unit) []string {
	flags := append([]string{}, c.Rustflags[unitPlatform(u)]...)
	return append(flags, u.Profile.Rustflags...)
}

// linker is the unit's -C linker=: the configured one, else the toolchain's.
func (c *planner) linker(u *unitgraph.Unit) string {
	if l := c.Linkers[unitPlatform(u)]; l != "" {
		return l
	}
	return c.Toolchain.Linker
}

// addConfigEnv adds the configuration's [env] variables that env lacks: Cargo
// never overrides a variable it sets (cargo: core/compiler/mod.rs, apply_env_config).
func (c *planner) addConfigEnv(env map[string]string) {
	for k, v := range c.ConfigEnv {
		if _, ok := env[k]; !ok {
			env[k] = v
		}
	}
}

// splitVersion splits semver "1.2.3-beta.1+build" into "1", "2", "3", "beta.1".
func splitVersion(v string) (major, minor, patch, pre string) {
	v, _, _ = strings.Cut(v, "+")
	v, pre, _ = strings.Cut(v, "-")
	parts := strings.SplitN(v, ".", 3)
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	return parts[0], parts[1], parts[2], pre
}

// runJob plans a build-script run (cargo: core/compiler/custom_build.rs, build_work).
func (c *planner) runJob(i int, out Out) (*job.Job, error) {
	u := &c.Graph.Units[i]
	p := u.Package
	tc := c.Toolchain
	src := c.sourceOf(u)
	j := &job.Job{Unit: u.String(), Action: job.RunBuildScript, Dir: src,
		BuildScript: &buildscript.Options{PackageName: p.Name, RustVersion: unitgraph.Str(p.RustVersion),
			Targets: targetInfos(p)}}

	env := c.pkgEnv(p, src)
	target := tc.Host
	if u.Platform != nil {
		target = *u.Platform
	}
	env["TARGET"] = target
	env["HOST"] = tc.Host
	env["OUT_DIR"] = job.OutDir(job.Self)
	env["OPT_LEVEL"] = u.Profile.OptLevel
	env["DEBUG"] = boolString(u.Profile.Debuginfo != "0" && u.Profile.Debuginfo != "")
	env["PROFILE"] = profileRoot(u.Profile.Name, c.ProfileInherits)
	env["RUSTC"] = tc.Rustc
	env["RUSTDOC"] = tc.Rustdoc
	if l := c.Linkers[unitPlatform(u)]; l != "" {
		env["RUSTC_LINKER"] = l
	}
	env["CARGO_ENCODED_RUSTFLAGS"] = strings.Join(c.unitRustflags(u), "\x1f")
	if links := unitgraph.Str(p.Links); links != "" {
		env["CARGO_MANIFEST_LINKS"] = links
	}
	for _, f := range u.Features {
		env["CARGO_FEATURE_"+envName(f)] = "1"
	}
	for k, v := range cfgEnv(tc.Cfg[platformKey(u)], u.Profile.DebugAssertions) {
		env[k] = v
	}
	// Set even when empty (cargo: custom_build.rs, build_work).
	env["CARGO_CFG_FEATURE"] = strings.Join(u.Features, ",")
	c.addConfigEnv(env)
	if in := c.Native[p.Name]; in != nil {
		in.Apply(env)
		j.HostPaths = in.SandboxPaths
	}
	j.Env = env

	for _, d := range u.Dependencies {
		du := &c.Graph.Units[d.Index]
		switch {
		case du.IsBuildScriptCompile():
			j.Program = out(d.Index) + "/bin/" + du.Target.Name
		case du.IsBuildScriptRun():
			if links := unitgraph.Str(du.Package.Links); links != "" {
				j.DepMetadata = append(j.DepMetadata, job.DepMetadata{Links: links, Run: out(d.Index)})
			}
		}
	}
	if j.Program == "" {
		// Cargo drops the script's compilation when the configuration overrides it.
		if ov := c.LinksOverrides[target][unitgraph.Str(p.Links)]; ov != nil {
			return &job.Job{Unit: j.Unit, Action: job.Override, Output: ov}, nil
		}
		return nil, errNoCompile
	}
	sort.Slice(j.DepMetadata, func(a, b int) bool { return j.DepMetadata[a].Links < j.DepMetadata[b].Links })
	return j, nil
}

// targetInfos lists the package's targets for the checks Cargo makes on
// rustc-link-arg-* directives.
func targetInfos(p *unitgraph.Package) []buildscript.TargetInfo {
	infos := []buildscript.TargetInfo{}
	for _, t := range p.Targets {
		kind := ""
		if len(t.Kind) > 0 {
			kind = t.Kind[0]
		}
		infos = append(infos, buildscript.TargetInfo{Kind: kind, Name: t.Name, CrateTypes: t.CrateTypes})
	}
	return infos
}

type planError string

func (e planError) Error() string { return string(e) }

const errNoCompile = planError("build-script run has no build-script compile dependency")

func platformKey(u *unitgraph.Unit) string {
	if u.Platform == nil {
		return ""
	}
	return *u.Platform
}

// cfgEnv turns `rustc --print cfg` lines into CARGO_CFG_* variables: names
// upper-cased, values of repeated keys joined with ','; debug_assertions follows the profile.
func cfgEnv(lines []string, debugAssertions bool) map[string]string {
	vals := map[string][]string{}
	for _, l := range lines {
		k, v, hasValue := strings.Cut(l, "=")
		if k == "debug_assertions" {
			continue
		}
		key := "CARGO_CFG_" + envName(k)
		if !hasValue {
			if _, ok := vals[key]; !ok {
				vals[key] = nil
			}
			continue
		}
		vals[key] = append(vals[key], strings.Trim(v, `"`))
	}
	env := map[string]string{}
	for k, v := range vals {
		env[k] = strings.Join(v, ",")
	}
	if debugAssertions {
		env["CARGO_CFG_DEBUG_ASSERTIONS"] = ""
	}
	return env
}

func envName(s string) string { return strings.ToUpper(strings.ReplaceAll(s, "-", "_")) }

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// profileRoot is PROFILE for build scripts: "release" for release and bench and
// the custom profiles that inherit from them, "debug" for the others (cargo:
// core/profiles.rs, ProfileRoot).
func profileRoot(name string, inherits map[string]string) string {
	for range len(inherits) + 1 {
		switch name {
		case "release", "bench":
			return "release"
		case "dev", "test":
			return "debug"
		}
		name = inherits[name]
	}
	return "debug"
}
