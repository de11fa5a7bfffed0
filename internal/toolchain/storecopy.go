package toolchain

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/cache"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/source"
)

// The store copy of a host toolchain holds what builds read and nothing else:
// rustup's sysroot is 1.3 GB, 675 MB of it documentation.

// keptPrograms are the programs of bin/ that jobs run: rustc compiles, rustdoc
// is RUSTDOC for build scripts, cargo is CARGO (build scripts and tests may run
// it), clippy-driver runs clippy units (`cargo nix-unit clippy`), and
// cargo-clippy goes with it. rustfmt, cargo-fmt, rust-gdb, rust-gdbgui,
// rust-lldb and rust-analyzer serve editors and debuggers, never a build.
var keptPrograms = map[string]bool{"rustc": true, "rustdoc": true, "cargo": true, "clippy-driver": true, "cargo-clippy": true}

// keptTargetDirs are the parts of lib/rustlib/<triple>/ that rustc reads:
// lib/ holds the standard library of every installed target (rlibs to link,
// libstd-*.so that proc-macros and test executables load, musl's crt objects
// under self-contained/); bin/ holds rust-lld and gcc-ld/ld.lld, which rustc
// links with on x86_64-unknown-linux-gnu since 1.90 (`-fuse-ld=lld
// -B <sysroot>/lib/rustlib/<triple>/bin/gcc-ld`); codegen-backends/ holds the
// backends `-Z codegen-backend` loads.
var keptTargetDirs = map[string]bool{"lib": true, "bin": true, "codegen-backends": true}

// droppedRustlibDirs below lib/rustlib are not targets: src/ and rustc-src/
// are rust-src and rustc-dev's sources (for editors), etc/ holds gdb and lldb
// pretty printers.
var droppedRustlibDirs = map[string]bool{"src": true, "rustc-src": true, "etc": true}

// keep reports whether the sysroot file rel (slash-separated) goes into the
// store copy. Left out besides the above: share/ (docs, man pages, shell
// completions), etc/ (completions, a JSON schema), libexec/ (rust-analyzer's
// proc-macro server) and rustup's bookkeeping in lib/rustlib (components,
// manifest-*, multirust-*), which no build reads and which would make two
// installs of the same toolchain with different components differ.
func keep(rel string) bool {
	parts := strings.Split(rel, "/")
	switch {
	case len(parts) == 2 && parts[0] == "bin":
		return keptPrograms[parts[1]]
	case len(parts) == 2 && parts[0] == "lib":
		// librustc_driver-*.so and libLLVM*: rustc and rustdoc load them
		// through their RUNPATH $ORIGIN/../lib.
		return true
	case len(parts) >= 5 && parts[0] == "lib" && parts[1] == "rustlib":
		return !droppedRustlibDirs[parts[2]] && keptTargetDirs[parts[3]]
	}
	return false
}

// enter reports whether the directory rel may hold a kept file, so that the
// walk skips share/ and rust-src without reading them.
func enter(rel string) bool {
	parts := strings.Split(rel, "/")
	switch parts[0] {
	case "bin":
		return len(parts) == 1
	case "lib":
		return len(parts) < 3 || parts[1] == "rustlib" && !droppedRustlibDirs[parts[2]] && (len(parts) == 3 || keptTargetDirs[parts[3]])
	}
	return false
}

// SelectFiles lists the files of the sysroot that go into its store copy,
// relative and sorted. A symlink must stay inside the sysroot: the copy would
// dangle otherwise.
func SelectFiles(sysroot string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(sysroot, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == sysroot {
			return nil
		}
		rel := filepath.ToSlash(p[len(sysroot)+1:])
		if d.IsDir() {
			if !enter(rel) {
				return filepath.SkipDir
			}
			return nil
		}
		if !keep(rel) {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			in := filepath.Join(filepath.Dir(p), target)
			if filepath.IsAbs(target) || !strings.HasPrefix(in, sysroot+"/") {
				return fmt.Errorf("%s links outside the toolchain (to %s), so its store copy would not work; build with --toolchain=host", p, target)
			}
		}
		files = append(files, rel)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("selecting the toolchain's files in %s: %w", sysroot, err)
	}
	if !slices.Contains(files, "bin/rustc") {
		return nil, fmt.Errorf("selecting the toolchain's files in %s: no bin/rustc", sysroot)
	}
	sort.Strings(files)
	return files, nil
}

// StoreName names a toolchain's store copy after what rustc says it is
// (`rustc -vV`: release and host), never after where it lives:
// rust-1.95.0-x86_64-unknown-linux-gnu, rust-1.97.0-nightly-x86_64-unknown-linux-gnu.
func StoreName(version, host string) string {
	release := "unknown"
	for _, l := range strings.Split(version, "\n") {
		if r, ok := strings.CutPrefix(l, "release: "); ok {
			release = strings.TrimSpace(r)
		}
	}
	return plan.SanitizeName("rust-" + release + "-" + host)
}

// OpenCache opens the cache of the store-copy hashes of the toolchain at
// sysroot, shared by every workspace (the files are the same for all).
func OpenCache(sysroot string) *cache.HashCache {
	path, err := cache.Location("toolchain", sysroot, nil)
	if err != nil {
		return nil
	}
	return cache.OpenHashCache(path)
}

// copyToStore makes the jobs use the store copy of the host sysroot: its files
// are hashed (or, with remember, their hash found by the files' identity), and
// t.Copy is what the store must get before a build.
func (t *Toolchain) copyToStore(remember bool) error {
	files, err := SelectFiles(t.HostSysroot)
	if err != nil {
		return err
	}
	var hashes *cache.HashCache
	if remember {
		hashes = OpenCache(t.HostSysroot)
		defer hashes.Save()
	}
	tree, err := source.NewTree(t.HostSysroot, StoreName(t.Version, t.Host), files, hashes)
	if err != nil {
		return fmt.Errorf("copying the toolchain into the store: %w", err)
	}
	t.Copy = tree
	hostBin := filepath.Join(t.HostSysroot, "bin")
	t.Sysroot = tree.Path
	bin := tree.Path + "/bin"
	t.Rustc, t.Rustdoc, t.Cargo = bin+"/rustc", bin+"/rustdoc", bin+"/cargo"
	path := strings.Split(t.Path, ":")
	for k, p := range path {
		if p == hostBin {
			path[k] = bin
		}
	}
	t.Path = strings.Join(path, ":")
	t.StorePaths = append(t.StorePaths, tree.Path)
	return nil
}
