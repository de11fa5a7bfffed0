package gather

import (
	"os"
	"path/filepath"
	"testing"
)

// A registry crate's download template and .crate come from beside Cargo's
// unpacked copy: <registry>/index/<dir>/config.json and
// <registry>/cache/<dir>/<name>-<version>.crate. A git index has no
// config.json file, a directory source no such layout.
func TestCargoRegistryLayout(t *testing.T) {
	reg := filepath.Join(t.TempDir(), "registry")
	for path, text := range map[string]string{
		"src/127.0.0.1-1d68adbb9bf709b0/itoa-1.0.1/Cargo.toml": "",
		"index/127.0.0.1-1d68adbb9bf709b0/config.json":         `{"dl":"http://127.0.0.1:1/crates/{crate}/{version}/download","api":null}`,
		"cache/127.0.0.1-1d68adbb9bf709b0/itoa-1.0.1.crate":    "crate",
		"src/git-index-0123456789abcdef/ryu-1.0.2/Cargo.toml":  "",
		"index/git-index-0123456789abcdef/.git/HEAD":           "ref: refs/heads/master\n",
		"vendor/libc-0.2.139/Cargo.toml":                       "",
	} {
		p := filepath.Join(reg, path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		dir, name, version, dl, crate string
	}{
		{"src/127.0.0.1-1d68adbb9bf709b0/itoa-1.0.1", "itoa", "1.0.1",
			"http://127.0.0.1:1/crates/{crate}/{version}/download", "cache/127.0.0.1-1d68adbb9bf709b0/itoa-1.0.1.crate"},
		{"src/git-index-0123456789abcdef/ryu-1.0.2", "ryu", "1.0.2", "", ""},
		{"vendor/libc-0.2.139", "libc", "0.2.139", "", ""},
	} {
		dir := filepath.Join(reg, c.dir)
		if got := configDL(dir); got != c.dl {
			t.Errorf("%s: dl %q, want %q", c.dir, got, c.dl)
		}
		want := ""
		if c.crate != "" {
			want = filepath.Join(reg, c.crate)
		}
		if got := cachedCrate(dir, c.name, c.version); got != want {
			t.Errorf("%s: .crate %q, want %q", c.dir, got, want)
		}
	}
}
