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
