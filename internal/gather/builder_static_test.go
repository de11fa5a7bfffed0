package gather

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testtool"
)

// A dynamically linked ELF builder is refused with the command that installs a
// static one; a static one is accepted. Both are built here from one tiny cgo
// program, so the test does not depend on how the test binary itself was linked.
//
// Mutation check: with checkStatic returning nil at once, "dynamic" fails.
func TestFindBuilderStatic(t *testing.T) {
	testtool.Require(t, "go", "cc")
	dir := t.TempDir()
	src := map[string]string{
		"go.mod": "module tiny\n\ngo 1.21\n",
		// With cgo the program links libc dynamically; without, the build tag
		// picks the pure-Go file and the result is static.
		"cgo.go":   "//go:build cgo\n\npackage main\n\n// int answer(void) { return 42; }\nimport \"C\"\n\nfunc main() { println(C.answer()) }\n",
		"nocgo.go": "//go:build !cgo\n\npackage main\n\nfunc main() { println(42) }\n",
	}
	for name, body := range src {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	build := func(name, cgo string) string {
		out := filepath.Join(dir, name)
		cmd := exec.Command("go", "build", "-o", out, ".")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "CGO_ENABLED="+cgo, "GOFLAGS=", "GOTOOLCHAIN=local")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build with CGO_ENABLED=%s: %v\n%s", cgo, err, b)
		}
		return out
	}
	static, dynamic := build("static", "0"), build("dynamic", "1")
	if interp(static) || !interp(dynamic) {
		t.Fatalf("the test's own programs are not what they should be: static asks for a loader %v, dynamic %v", interp(static), interp(dynamic))
	}

	t.Run("static", func(t *testing.T) {
		if _, err := FindBuilder(static, nil); err != nil {
			t.Errorf("static builder refused: %v", err)
		}
	})
	t.Run("dynamic", func(t *testing.T) {
		_, err := FindBuilder(dynamic, nil)
		if err == nil || !strings.Contains(err.Error(), "is dynamically linked") || !strings.Contains(err.Error(), InstallHint) {
			t.Errorf("dynamic builder: got %v, want a refusal naming %s", err, InstallHint)
		}
	})
}

// interp reports whether path is an ELF asking for a dynamic loader.
func interp(path string) bool {
	f, err := elf.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return true
		}
	}
	return false
}
