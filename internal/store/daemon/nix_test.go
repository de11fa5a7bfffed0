package daemon

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testtool"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"
	"github.com/nix-community/go-nix/pkg/nar"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/aterm"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/store"
)

// requireNix skips without nix on PATH, except in CI, where it fails.
func requireNix(t testing.TB) {
	t.Helper()
	testtool.Require(t, "nix")
}

func openStore(t testing.TB) *Store {
	t.Helper()
	requireNix(t)
	s, err := Open(context.Background(), "nix", store.Features, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func nixCmd(t testing.TB, stdin []byte, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return stderr.String(), err
	}
	return strings.TrimSpace(string(out)), nil
}

func nonce(t testing.TB) string {
	t.Helper()
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// floating is a floating content-addressed derivation; nonce makes it new to the store.
func floating(name, nonce string, deps, srcs []string) *nixdrv.Derivation {
	d := &nixdrv.Derivation{
		Outputs:          map[string]*nixdrv.Output{"out": {HashAlgorithm: "r:sha256"}},
		InputDerivations: map[string][]string{},
		InputSources:     slices.Sorted(slices.Values(append([]string{}, srcs...))),
		Platform:         "x86_64-linux",
		Builder:          "/bin/sh",
		Arguments:        []string{"-c", "echo \"$nonce\" > $out"},
		Env: map[string]string{"name": name, "out": aterm.Placeholder("out"), "nonce": nonce,
			"builder": "/bin/sh", "system": "x86_64-linux"},
	}
	for _, p := range deps {
		d.InputDerivations[p] = []string{"out"}
	}
	return d
}

// inputAddressed is a derivation with its output path computed.
func inputAddressed(t testing.TB, name, nonce string) *nixdrv.Derivation {
	t.Helper()
	d := floating(name, nonce, nil, nil)
	d.Outputs["out"] = &nixdrv.Output{}
	d.Env["out"] = ""
	outs, err := aterm.OutputPaths(d, map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	d.Outputs["out"].Path = outs["out"]
	d.Env["out"] = outs["out"]
	return d
}

func drvPath(t testing.TB, d *nixdrv.Derivation) string {
	t.Helper()
	p, err := aterm.DrvPath(d)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRegisterMatchesCLI registers a source and derivations of every kind through
// the daemon, then through `nix`, which must name the same paths, and checks
// what Nix recorded.
func TestRegisterMatchesCLI(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	cli, err := store.NewCLI(ctx, "nix")
	if err != nil {
		t.Fatal(err)
	}
	n := nonce(t)

	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "lib.rs"), []byte("// "+n+"\n"), 0o644)
	os.Mkdir(filepath.Join(src, "bin"), 0o755)
	os.WriteFile(filepath.Join(src, "bin", "run"), []byte("#!/bin/sh\n"), 0o755)
	os.Symlink("lib.rs", filepath.Join(src, "link"))
	h := sha256.New()
	if err := nar.DumpPath(h, src); err != nil {
		t.Fatal(err)
	}
	want := aterm.StorePathForSource([32]byte(h.Sum(nil)), "src-"+n)
	if err := s.AddPath(ctx, "src-"+n, src, want); err != nil {
		t.Fatal(err)
	}
	if err := cli.AddPath(ctx, "src-"+n, src, want); err != nil {
		t.Fatalf("nix store add-path disagrees: %v", err)
	}
	// A file by its flat hash: a fetch's output (builtin:fetchurl).
	file := filepath.Join(t.TempDir(), "x.crate")
	os.WriteFile(file, []byte("crate "+n), 0o644)
	flat := aterm.StorePathForFlat(sha256.Sum256([]byte("crate "+n)), "x-"+n+".crate")
	if err := s.AddFlat(ctx, "x-"+n+".crate", file, flat); err != nil {
		t.Fatal(err)
	}
	if err := cli.AddFlat(ctx, "x-"+n+".crate", file, flat); err != nil {
		t.Fatalf("nix store add-file disagrees: %v", err)
	}

	lib := floating("lib-"+n, n, nil, []string{want})
	ia := inputAddressed(t, "ia-"+n, n)
	app := floating("app-"+n, n, []string{drvPath(t, lib)}, []string{want})
	for _, d := range []*nixdrv.Derivation{lib, ia, app} {
		p := drvPath(t, d)
		if err := s.AddDerivation(ctx, d, p); err != nil {
			t.Fatal(err)
		}
		if err := cli.AddDerivation(ctx, d, p); err != nil {
			t.Fatalf("nix derivation add disagrees: %v", err)
		}
		text, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(text, aterm.Bytes(d)) {
			t.Errorf("%s holds\n%s\nwant\n%s", p, text, aterm.Bytes(d))
		}
		show, err := nixCmd(t, nil, "nix", "--extra-experimental-features", "nix-command ca-derivations", "derivation", "show", p)
		if err != nil {
			t.Fatal(show, err)
		}
		var got map[string]struct {
			Env       map[string]string `json:"env"`
			InputSrcs []string          `json:"inputSrcs"`
		}
		if err := json.Unmarshal([]byte(show), &got); err != nil {
			t.Fatal(err)
		}
		if g := got[p]; !maps.Equal(g.Env, d.Env) || !slices.Equal(g.InputSrcs, d.InputSources) {
			t.Errorf("nix derivation show %s: %s", p, show)
		}
	}
}

// TestValidPathsAgreesWithNixStore compares QueryValidPaths with
// `nix-store --check-validity`.
func TestValidPathsAgreesWithNixStore(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	n := nonce(t)
	d := floating("valid-"+n, n, nil, nil)
	p := drvPath(t, d)
	if err := s.AddDerivation(ctx, d, p); err != nil {
		t.Fatal(err)
	}
	missing := drvPath(t, floating("missing-"+n, n, nil, nil))
	paths := []string{p, missing, "/nix/store/00000000000000000000000000000000-none"}
	valid, err := s.ValidPaths(ctx, paths)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := nixCmd(t, nil, append([]string{"nix-store", "--check-validity", "--print-invalid"}, paths...)...)
	invalid := strings.Fields(out)
	for _, q := range paths {
		if valid[q] == slices.Contains(invalid, q) {
			t.Errorf("%s: daemon says valid=%v, nix-store --print-invalid says %v", q, valid[q], invalid)
		}
	}
	if !valid[p] {
		t.Errorf("%s was just added but is not valid", p)
	}
	for _, q := range paths {
		if one, err := s.Conn.IsValidPath(ctx, q); err != nil || one != valid[q] {
			t.Errorf("IsValidPath(%s) = %v, %v; QueryValidPaths says %v", q, one, err, valid[q])
		}
	}
}

// TestBadDerivation: the daemon refuses a derivation whose output path is wrong,
// with the text `nix derivation add` shows, and the connection stays usable.
func TestBadDerivation(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	n := nonce(t)
	d := inputAddressed(t, "bad-"+n, n)
	d.Env["nonce"] = "changed" // the output path no longer matches
	p := drvPath(t, d)
	err := s.AddDerivation(ctx, d, p)
	var de *Error
	if !errors.As(err, &de) {
		t.Fatalf("got %v, want a daemon error", err)
	}
	t.Logf("daemon error: %v", err)
	if !strings.Contains(de.Msg, "has incorrect output") {
		t.Errorf("daemon error %q does not say which output is wrong", de.Msg)
	}
	cli, err := store.NewCLI(ctx, "nix")
	if err != nil {
		t.Fatal(err)
	}
	cliErr := cli.AddDerivation(ctx, d, p)
	if cliErr == nil || !strings.Contains(cliErr.Error(), de.Msg) {
		t.Errorf("nix derivation add says %v; the daemon said %q", cliErr, de.Msg)
	}
	good := floating("good-"+n, n, nil, nil)
	if err := s.AddDerivation(ctx, good, drvPath(t, good)); err != nil {
		t.Fatalf("connection unusable after a daemon error: %v", err)
	}
}

// TestRegisterMany registers 200 new derivations, each depending on the one
// before, over one connection.
func TestRegisterMany(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	drvs := chain(t, nonce(t), 200)
	var paths []string
	for _, d := range drvs {
		p := drvPath(t, d)
		if err := s.AddDerivation(ctx, d, p); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	// More paths than one pipelined batch of temporary roots.
	missing := chain(t, nonce(t), 100)
	asked := slices.Clone(paths)
	for _, d := range missing {
		asked = append(asked, drvPath(t, d))
	}
	valid, err := s.ValidPaths(ctx, asked)
	if err != nil {
		t.Fatal(err)
	}
	if len(valid) != len(paths) {
		t.Errorf("%d of %d derivations valid", len(valid), len(paths))
	}
	for _, p := range paths {
		if !valid[p] {
			t.Errorf("%s: not valid", p)
		}
	}
}

// TestTempRoots: what the client added or asked about survives a garbage
// collection until the connection closes.
func TestTempRoots(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	n := nonce(t)
	added := floating("added-"+n, n, nil, nil)
	asked := floating("asked-"+n, n, nil, nil)
	if err := s.AddDerivation(ctx, added, drvPath(t, added)); err != nil {
		t.Fatal(err)
	}
	// asked is added by the CLI, whose root dies with it; the client roots it by asking.
	cli, err := store.NewCLI(ctx, "nix")
	if err != nil {
		t.Fatal(err)
	}
	if err := cli.AddDerivation(ctx, asked, drvPath(t, asked)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ValidPaths(ctx, []string{drvPath(t, asked)}); err != nil {
		t.Fatal(err)
	}
	for _, d := range []*nixdrv.Derivation{added, asked} {
		if out, err := nixCmd(t, nil, "nix-store", "--delete", drvPath(t, d)); err == nil || !strings.Contains(out, "still alive") {
			t.Errorf("deleting %s while the client holds it: %v %s", drvPath(t, d), err, out)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, d := range []*nixdrv.Derivation{added, asked} {
		if out, err := nixCmd(t, nil, "nix-store", "--delete", drvPath(t, d)); err != nil {
			t.Errorf("deleting %s after Close: %v %s", drvPath(t, d), err, out)
		}
	}
}

// chain is n derivations, each depending on the previous one.
func chain(t testing.TB, nonce string, n int) []*nixdrv.Derivation {
	var out []*nixdrv.Derivation
	var deps []string
	for i := range n {
		d := floating("unit-"+nonce+"-"+strings.Repeat("x", i%7), fmt.Sprint(nonce, i), deps, nil)
		out = append(out, d)
		deps = []string{drvPath(t, d)}
	}
	return out
}

// TestIndirectRoot: a symlink registered as an indirect root keeps its target
// alive after the connection closes, until the link goes.
func TestIndirectRoot(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	n := nonce(t)
	d := floating("indirect-"+n, n, nil, nil)
	p := drvPath(t, d)
	if err := s.AddDerivation(ctx, d, p); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "root")
	if err := os.Symlink(p, link); err != nil {
		t.Fatal(err)
	}
	if err := s.Conn.AddIndirectRoot(ctx, link); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if out, err := nixCmd(t, nil, "nix-store", "--delete", p); err == nil || !strings.Contains(out, "still alive") {
		t.Errorf("deleting %s while its indirect root exists: %v %s", p, err, out)
	}
	os.Remove(link)
	if out, err := nixCmd(t, nil, "nix-store", "--delete", p); err != nil {
		t.Errorf("deleting %s after removing its root: %v %s", p, err, out)
	}
}
