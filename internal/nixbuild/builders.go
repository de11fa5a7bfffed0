package nixbuild

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	// Nix 2.26 (build-remote.cc) when a remote builder cannot be used.
	cannotBuildOnRe = regexp.MustCompile(`cannot build on '([^']+)': (?:error: )?([^\n]*)`)
	// ssh's own words on why it could not connect, passed through by Nix.
	sshReasonRe = regexp.MustCompile(`(?m)^(?:ssh: .*|.*Permission denied.*|Host key verification failed\.)$`)
)

// NoMachine is the error line for a build no machine could take: Nix's
// "Unable to start any build" when local builds are off (-j 0) and no builder
// has what a derivation requires.
const NoMachine = "no machine can build the units: no remote builder has the system and features they need " +
	"(content-addressed units need ca-derivations among a builder's supported features, the 6th field of --builders), and -j 0 keeps builds off this machine"

// BuilderFailure turns a failed build's messages into one line when the cause
// is a remote builder Nix could not use: the builder's URI and Nix's reason,
// with ssh's when it gave one; or no builder taking the units (NoMachine). ok
// is false for any other failure.
func BuilderFailure(msg string) (line string, ok bool) {
	m := cannotBuildOnRe.FindStringSubmatch(msg)
	if m == nil {
		if strings.Contains(msg, "Unable to start any build") {
			return NoMachine, true
		}
		return "", false
	}
	reason := strings.TrimSpace(m[2])
	if s := sshReasonRe.FindString(msg); s != "" {
		reason += " (" + strings.TrimSpace(s) + ")"
	}
	return fmt.Sprintf("cannot build on the remote builder %s: %s; check it with `cargo nix-unit doctor --builders …`", m[1], reason), true
}
