package toolchain

import (
	"crypto/sha256"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nix-community/go-nix/pkg/nar"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/aterm"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/cache"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
)

// What goes into the store copy: the programs builds run, the libraries rustc
// loads, every target's standard library and linker; not docs, sources,
// debugger helpers or rustup's bookkeeping.
func TestKeep(t *testing.T) {
	for _, c := range []struct {
		rel  string
		want bool
	}{
		{"bin/rustc", true},
		{"bin/rustdoc", true},
		{"bin/cargo", true},
		{"bin/clippy-driver", true},
		{"bin/cargo-clippy", true},
		{"bin/rustfmt", false},
		{"bin/cargo-fmt", false},
		{"bin/rust-gdb", false},
		{"bin/rust-gdbgui", false},
		{"bin/rust-lldb", false},
		{"bin/rust-analyzer", false},
		{"lib/librustc_driver-6108105cd7e839cf.so", true},
		{"lib/libLLVM.so.22.1-rust-1.95.0-stable", true},
		{"lib/libLLVM-22-rust-1.95.0-stable.so", true},
		{"lib/rustlib/x86_64-unknown-linux-gnu/lib/libstd-0123456789abcdef.rlib", true},
		{"lib/rustlib/x86_64-unknown-linux-gnu/lib/libstd-0123456789abcdef.so", true},
		{"lib/rustlib/x86_64-unknown-linux-musl/lib/self-contained/crt1.o", true},
		{"lib/rustlib/wasm32-unknown-unknown/lib/libcore-0123456789abcdef.rlib", true},
		{"lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld", true},
		{"lib/rustlib/x86_64-unknown-linux-gnu/bin/gcc-ld/ld.lld", true},
		{"lib/rustlib/x86_64-unknown-linux-gnu/codegen-backends/librustc_codegen_cranelift.so", true},
		{"lib/rustlib/src/rust/library/std/src/lib.rs", false},
		{"lib/rustlib/rustc-src/rust/compiler/rustc/src/main.rs", false},
		{"lib/rustlib/etc/gdb_load_rust_pretty_printers.py", false},
		{"lib/rustlib/components", false},
		{"lib/rustlib/manifest-rustc-x86_64-unknown-linux-gnu", false},
		{"lib/rustlib/multirust-channel-manifest.toml", false},
		{"lib/rustlib/rust-installer-version", false},
		{"lib/rustlib/x86_64-unknown-linux-gnu/analysis/std.json", false},
		{"libexec/rust-analyzer-proc-macro-srv", false},
		{"share/doc/rust/html/index.html", false},
		{"share/man/man1/rustc.1", false},
		{"share/zsh/site-functions/_cargo", false},
		{"etc/bash_completion.d/cargo", false},
		{"etc/target-spec-json-schema.json", false},
	} {
		if got := keep(c.rel); got != c.want {
			t.Errorf("keep(%q) = %v, want %v", c.rel, got, c.want)
		}
	}
}

// fakeSysroot writes a small toolchain laid out as rustup's.
func fakeSysroot(t *testing.T) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "toolchains", "stable-x86_64-unknown-linux-gnu")
	for rel, body := range map[string]string{
		"bin/rustc":                "#!rustc",
		"bin/rustdoc":              "#!rustdoc",
		"bin/cargo":                "#!cargo",
		"bin/rustfmt":              "#!rustfmt",
		"lib/librustc_driver-1.so": "driver",
		"lib/rustlib/x86_64-unknown-linux-gnu/lib/libstd-1.rlib": "std",
		"lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld":      "lld",
		"lib/rustlib/x86_64-unknown-linux-gnu/bin/gcc-ld/ld.lld": "wrapper",
		"lib/rustlib/src/rust/library/std/src/lib.rs":            "// std",
		"lib/rustlib/components":                                 "rustc\n",
		"share/doc/rust/html/index.html":                         "<html>",
		"libexec/rust-analyzer-proc-macro-srv":                   "srv",
	} {
		p := filepath.Join(root, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		mode := os.FileMode(0o644)
		if strings.Contains(rel, "bin/") {
			mode = 0o755
		}
		if err := os.WriteFile(p, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestSelectFiles(t *testing.T) {
	root := fakeSysroot(t)
	// A link within the toolchain is kept as a link.
	if err := os.Symlink("libstd-1.rlib", filepath.Join(root, "lib/rustlib/x86_64-unknown-linux-gnu/lib/libstd.rlib")); err != nil {
		t.Fatal(err)
	}
	files, err := SelectFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"bin/cargo", "bin/rustc", "bin/rustdoc",
		"lib/librustc_driver-1.so",
		"lib/rustlib/x86_64-unknown-linux-gnu/bin/gcc-ld/ld.lld",
		"lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld",
		"lib/rustlib/x86_64-unknown-linux-gnu/lib/libstd-1.rlib",
		"lib/rustlib/x86_64-unknown-linux-gnu/lib/libstd.rlib",
	}
	if !reflect.DeepEqual(files, want) {
		t.Errorf("selected\n%q\nwant\n%q", files, want)
	}

	// A link out of the toolchain would dangle in the store.
	if err := os.Symlink("/usr/lib/libfoo.so", filepath.Join(root, "lib/libfoo.so")); err != nil {
		t.Fatal(err)
	}
	if _, err := SelectFiles(root); err == nil || !strings.Contains(err.Error(), "links outside the toolchain") {
		t.Errorf("a link out of the toolchain: err = %v", err)
	}
	os.Remove(filepath.Join(root, "lib/libfoo.so"))

	os.Remove(filepath.Join(root, "bin/rustc"))
	if _, err := SelectFiles(root); err == nil || !strings.Contains(err.Error(), "no bin/rustc") {
		t.Errorf("without rustc: err = %v", err)
	}
}

func TestStoreName(t *testing.T) {
	for _, c := range []struct{ version, want string }{
		{"rustc 1.95.0 (59807616e 2026-04-14)\nbinary: rustc\nrelease: 1.95.0\nLLVM version: 22.1.2\n", "rust-1.95.0-x86_64-unknown-linux-gnu"},
		{"rustc 1.97.0-nightly (0123456789 2026-05-01)\nrelease: 1.97.0-nightly\n", "rust-1.97.0-nightly-x86_64-unknown-linux-gnu"},
		{"rustc 1.0.0\n", "rust-unknown-x86_64-unknown-linux-gnu"},
	} {
		if got := StoreName(c.version, "x86_64-unknown-linux-gnu"); got != c.want {
			t.Errorf("StoreName(%q) = %q, want %q", c.version, got, c.want)
		}
	}
}

func TestParseMode(t *testing.T) {
	for in, want := range map[string]Mode{"": StoreMode, "store": StoreMode, "host": HostMode} {
		if got, err := ParseMode(in); err != nil || got != want {
			t.Errorf("ParseMode(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseMode("nix"); err == nil || !strings.Contains(err.Error(), "--toolchain=nix: want store or host") {
		t.Errorf("ParseMode(nix): %v", err)
	}
}

// hostToolchain is what Detect gives for a toolchain at sysroot on the host.
func hostToolchain(sysroot string) *Toolchain {
	t := &Toolchain{Sysroot: sysroot, HostSysroot: sysroot, CC: "/usr/bin/cc"}
	t.Toolchain = plan.Toolchain{
		Rustc: sysroot + "/bin/rustc", Rustdoc: sysroot + "/bin/rustdoc", Cargo: sysroot + "/bin/cargo",
		Host:    "x86_64-unknown-linux-gnu",
		Version: "rustc 1.95.0\nrelease: 1.95.0\n", Path: sysroot + "/bin:/usr/bin",
	}
	t.useHost()
	return t
}

// Store mode names the copy everywhere a job names the toolchain, and the copy
// is what Nix makes of the staged files.
func TestUseStore(t *testing.T) {
	root := fakeSysroot(t)
	tc := hostToolchain(root)
	if err := tc.Use(StoreMode, false); err != nil {
		t.Fatal(err)
	}
	c := tc.Copy
	if c == nil || !strings.HasSuffix(c.Path, "-rust-1.95.0-x86_64-unknown-linux-gnu") {
		t.Fatalf("copy %+v", c)
	}
	bin := c.Path + "/bin"
	if tc.Rustc != bin+"/rustc" || tc.Rustdoc != bin+"/rustdoc" || tc.Cargo != bin+"/cargo" || tc.Sysroot != c.Path || tc.Path != bin+":/usr/bin" {
		t.Errorf("jobs still name the host: %+v", tc)
	}
	if !reflect.DeepEqual(tc.StorePaths, []string{c.Path}) {
		t.Errorf("store paths %q", tc.StorePaths)
	}
	if tc.InStore || len(tc.HostSpecific()) != 0 || !reflect.DeepEqual(tc.SandboxPaths, systemPaths()) {
		t.Errorf("sandbox %q, host-specific %q", tc.SandboxPaths, tc.HostSpecific())
	}
	if tc.HostSysroot != root {
		t.Errorf("host sysroot %s", tc.HostSysroot)
	}

	staged, err := c.Stage(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	if err := nar.DumpPath(h, staged); err != nil {
		t.Fatal(err)
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	if got := aterm.StorePathForSource(sum, c.Name); got != c.Path {
		t.Errorf("the staged copy hashes to %s, the plan names %s", got, c.Path)
	}
	if _, err := os.Stat(filepath.Join(staged, "share")); err == nil {
		t.Error("share/ was staged")
	}

	// The same files elsewhere give the same copy.
	other := filepath.Join(t.TempDir(), "elsewhere")
	if err := os.Rename(filepath.Dir(filepath.Dir(root)), other); err != nil {
		t.Fatal(err)
	}
	moved := hostToolchain(filepath.Join(other, "toolchains", "stable-x86_64-unknown-linux-gnu"))
	if err := moved.Use(StoreMode, false); err != nil {
		t.Fatal(err)
	}
	if moved.Copy.Path != c.Path {
		t.Errorf("moved toolchain: %s, want %s", moved.Copy.Path, c.Path)
	}
}

func TestUseHostAndSystem(t *testing.T) {
	root := fakeSysroot(t)
	tc := hostToolchain(root)
	if err := tc.Use(HostMode, false); err != nil {
		t.Fatal(err)
	}
	if tc.Copy != nil || tc.Rustc != root+"/bin/rustc" || !reflect.DeepEqual(tc.HostSpecific(), []string{root}) {
		t.Errorf("host mode: copy %v, rustc %s, host-specific %q", tc.Copy, tc.Rustc, tc.HostSpecific())
	}

	// A toolchain whose rustc loads its libraries from elsewhere (Debian's,
	// from /usr/lib/<multiarch>) is not copied: the copy would run the host's.
	os.Remove(filepath.Join(root, "lib/librustc_driver-1.so"))
	tc = hostToolchain(root)
	if err := tc.Use(StoreMode, false); err != nil {
		t.Fatal(err)
	}
	if tc.Copy != nil || tc.Rustc != root+"/bin/rustc" || !reflect.DeepEqual(tc.HostSpecific(), []string{root}) {
		t.Errorf("not self-contained: copy %v, rustc %s, host-specific %q", tc.Copy, tc.Rustc, tc.HostSpecific())
	}
	usr := hostToolchain("/usr")
	if err := usr.Use(StoreMode, false); err != nil {
		t.Fatal(err)
	}
	if usr.Copy != nil || len(usr.HostSpecific()) != 0 {
		t.Errorf("a toolchain under /usr: copy %v, host-specific %q", usr.Copy, usr.HostSpecific())
	}
}

// A toolchain in the store stays as it is; a host linker only adds the system.
func TestStoreToolchain(t *testing.T) {
	sysroot := "/nix/store/00000000000000000000000000000000-rustc-1.95.0"
	tc := &Toolchain{Sysroot: sysroot, HostSysroot: sysroot, StorePaths: []string{sysroot}, InStore: true}
	tc.Rustc, tc.Path = sysroot+"/bin/rustc", sysroot+"/bin"
	if err := tc.Use(StoreMode, false); err != nil {
		t.Fatal(err)
	}
	if !tc.InStore || tc.Copy != nil || len(tc.SandboxPaths) != 0 {
		t.Errorf("store toolchain changed: %+v", tc)
	}
	linker := filepath.Join(t.TempDir(), "mold")
	if err := os.WriteFile(linker, []byte("#!"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := tc.AddLinker(linker); err != nil {
		t.Fatal(err)
	}
	if tc.InStore || !reflect.DeepEqual(tc.StorePaths, []string{sysroot}) || !reflect.DeepEqual(tc.HostSpecific(), []string{filepath.Dir(linker)}) {
		t.Errorf("with a host linker: store %q, sandbox %q", tc.StorePaths, tc.SandboxPaths)
	}
}

// The copy's hash is remembered per toolchain, and a build in host mode leaves
// what store mode remembered alone.
func TestUseRemembers(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	root := fakeSysroot(t)
	past := time.Now().Add(-time.Hour)
	filepath.WalkDir(root, func(p string, _ fs.DirEntry, _ error) error { return os.Chtimes(p, past, past) })
	tc := hostToolchain(root)
	if err := tc.Use(StoreMode, true); err != nil {
		t.Fatal(err)
	}
	path, err := cache.Location("toolchain", root, nil)
	if err != nil {
		t.Fatal(err)
	}
	remembered, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(remembered), ":") {
		t.Fatalf("nothing remembered in %s: %q, %v", path, remembered, err)
	}
	if err := hostToolchain(root).Use(HostMode, true); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(remembered) {
		t.Errorf("host mode changed the remembered hashes: %q, was %q", after, remembered)
	}
	again := hostToolchain(root)
	if err := again.Use(StoreMode, true); err != nil || again.Copy.Path != tc.Copy.Path {
		t.Errorf("remembered copy %v, want %s (%v)", again.Copy, tc.Copy.Path, err)
	}
}

// A cc outside the system directories is shown to the sandbox, and so is the
// directory of the file its link leads to: rustc runs it by name.
func TestUseShowsCC(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "opt", "gcc-13", "bin", "gcc")
	cc := filepath.Join(dir, "tools", "bin", "cc")
	for _, d := range []string{filepath.Dir(real), filepath.Dir(cc)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(real, nil, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, cc); err != nil {
		t.Fatal(err)
	}
	tc := hostToolchain(filepath.Join(dir, "sysroot"))
	tc.CC = cc
	if err := tc.Use(StoreMode, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{filepath.Dir(cc), filepath.Dir(real)} {
		if !slices.Contains(tc.SandboxPaths, want) {
			t.Errorf("sandbox paths %q lack %s", tc.SandboxPaths, want)
		}
	}
}
