package derivation

import (
	"strings"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
)

// Small jobs stay in the environment; large ones go through passAsFile.
func TestPassAsFile(t *testing.T) {
	w := NewWriter(Options{CA: true, System: "x86_64-linux", Builder: "/nix/store/00000000000000000000000000000000-builder"})
	small, err := w.Write("small", encode(t, &job.Job{Unit: "small", Action: job.Collect}), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := small.Drv.Env["passAsFile"]; ok {
		t.Error("a small job goes through a file")
	}
	big := &job.Job{Unit: "big", Action: job.Collect}
	for i := 0; i < 2000; i++ {
		big.Copy = append(big.Copy, job.Rename{From: "/nix/store/" + strings.Repeat("x", 40), To: job.Self + "/y"})
	}
	d, err := w.Write("big", encode(t, big), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d.Drv.Env["passAsFile"] != job.EnvVar || len(d.Drv.Env[job.EnvVar]) <= passAsFileOver {
		t.Errorf("a %d-byte job: passAsFile = %q", len(d.Drv.Env[job.EnvVar]), d.Drv.Env["passAsFile"])
	}
}

func encode(t *testing.T, j *job.Job) string {
	t.Helper()
	enc, err := j.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return enc
}

// A CA derivation's environment is what builtins.derivation gives for
// __contentAddressed = true; outputHashMode = "recursive"; outputHashAlgo = "sha256"
// (checked with nix derivation show, Nix 2.26): the flake writes the same.
func TestCAEnvMatchesBuiltinsDerivation(t *testing.T) {
	w := NewWriter(Options{CA: true, System: "x86_64-linux", Builder: "/nix/store/00000000000000000000000000000000-builder"})
	d, err := w.Write("u", "{}", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"name": "u", "system": "x86_64-linux", "builder": "/nix/store/00000000000000000000000000000000-builder",
		job.EnvVar: "{}", "out": job.Self, "outputHashAlgo": "sha256", "outputHashMode": "recursive"}
	if len(d.Drv.Env) != len(want) {
		t.Errorf("env %v, want %v", d.Drv.Env, want)
	}
	for k, v := range want {
		if d.Drv.Env[k] != v {
			t.Errorf("env %s = %q, want %q", k, d.Drv.Env[k], v)
		}
	}
}
