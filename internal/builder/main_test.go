package builder

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
)

// A job too large for the environment comes through Nix's passAsFile.
func TestJobFromFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	src := filepath.Join(dir, "bin-file")
	os.WriteFile(src, []byte("binary"), 0o755)
	j := &job.Job{Unit: "root", Action: job.Collect, Copy: []job.Rename{{From: src, To: job.Self + "/bin/app"}}}
	enc, err := j.Encode()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, ".attr-job")
	os.WriteFile(path, []byte(enc), 0o644)
	env := map[string]string{"out": out, job.EnvVar + "Path": path, "NIX_BUILD_TOP": dir}
	if err := Main(func(k string) string { return env[k] }, io.Discard); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(out, "bin", "app")); err != nil || string(b) != "binary" {
		t.Errorf("collected %q, %v", b, err)
	}
	env[job.EnvVar+"Path"] = filepath.Join(dir, "missing")
	if err := Main(func(k string) string { return env[k] }, io.Discard); err == nil || !strings.Contains(err.Error(), "reading the job") {
		t.Errorf("missing job file: %v", err)
	}
}
