package aterm

import (
	"bytes"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testtool"
	"os"
	"os/exec"
	"strings"
	"testing"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/drvjson"
)

// requireNix skips without nix on PATH, except in CI (CI=true), where the oracle
// tests must run and its absence fails the test.
func requireNix(t *testing.T) {
	t.Helper()
	testtool.Require(t, "nix")
}

// nixCLI runs the real nix with the experimental features the tests need.
type nixCLI struct {
	t *testing.T
	v drvjson.Version
}

func newNix(t *testing.T) *nixCLI {
	t.Helper()
	requireNix(t)
	n := &nixCLI{t: t}
	v, err := drvjson.ParseVersion(n.must(nil, "--version"))
	if err != nil {
		t.Fatal(err)
	}
	n.v = v
	return n
}

func (n *nixCLI) run(stdin []byte, args ...string) (string, error) {
	cmd := exec.Command("nix", append([]string{"--extra-experimental-features", "nix-command ca-derivations"}, args...)...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", &nixError{args: args, err: err, stderr: stderr.String()}
	}
	return strings.TrimSpace(string(out)), nil
}

type nixError struct {
	args   []string
	err    error
	stderr string
}

func (e *nixError) Error() string {
	return "nix " + strings.Join(e.args, " ") + ": " + e.err.Error() + "\n" + e.stderr
}

func (n *nixCLI) must(stdin []byte, args ...string) string {
	n.t.Helper()
	out, err := n.run(stdin, args...)
	if err != nil {
		n.t.Fatal(err)
	}
	return out
}

// add registers d with `nix derivation add` and checks Nix's path against
// DrvPath and the .drv file Nix wrote against Bytes, returning the path.
func (n *nixCLI) add(d *nixdrv.Derivation) string {
	n.t.Helper()
	want, err := DrvPath(d)
	if err != nil {
		n.t.Fatal(err)
	}
	js, err := drvjson.Encode(d, n.v)
	if err != nil {
		n.t.Fatal(err)
	}
	got, err := n.run(js, "derivation", "add")
	if err != nil {
		n.t.Fatalf("%v\nATerm: %s", err, Bytes(d))
	}
	if got != want {
		n.t.Fatalf("%s: nix registered %s, DrvPath computed %s\nATerm: %s", d.Env["name"], got, want, Bytes(d))
	}
	file, err := os.ReadFile(got)
	if err != nil {
		n.t.Fatal(err)
	}
	if !bytes.Equal(file, Bytes(d)) {
		n.t.Fatalf("%s: Nix wrote\n%s\nWrite wrote\n%s", got, file, Bytes(d))
	}
	return got
}
