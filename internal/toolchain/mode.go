package toolchain

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Mode says where the jobs take rustc, rustdoc and cargo from (--toolchain).
type Mode string

const (
	// StoreMode copies a host toolchain into the store by content: derivations
	// name the copy, so they are the same on every machine with that toolchain.
	StoreMode Mode = "store"
	// HostMode runs a host toolchain where it lives: derivations name its path,
	// and the sandbox shows its directory.
	HostMode Mode = "host"
)

// ParseMode reads --toolchain; "" is the default, store.
func ParseMode(s string) (Mode, error) {
	switch Mode(s) {
	case "", StoreMode:
		return StoreMode, nil
	case HostMode:
		return HostMode, nil
	}
	return "", fmt.Errorf("--toolchain=%s: want store or host", s)
}

// systemDirs are what every machine of the same OS has at the same place: the
// linker, C compiler, their libraries, crt objects and the dynamic loader.
var systemDirs = []string{"/usr", "/lib", "/lib64", "/bin"}

// alternatives holds only symlinks: Debian's cc, c++ and friends go through
// it, and build scripts (the cc crate, libz-sys) run `cc` from PATH by that
// name, so the sandbox must show it even though rustc gets the real file.
const alternatives = "/etc/alternatives"

// systemPaths are the system directories this machine has, for the sandbox.
func systemPaths() []string {
	var paths []string
	for _, d := range append(append([]string{}, systemDirs...), alternatives) {
		if _, err := os.Lstat(d); err == nil {
			paths = append(paths, d)
		}
	}
	return paths
}

// inSystem reports whether p lies in a system directory (or is one).
func inSystem(p string) bool {
	for _, d := range append(append([]string{}, systemDirs...), alternatives) {
		if p == d || strings.HasPrefix(p, d+"/") {
			return true
		}
	}
	return false
}

// Use makes the jobs take the toolchain as mode says. A toolchain in the store
// is used as it is either way. In store mode, a self-contained host toolchain
// (rustup's, an unpacked release) is copied into the store (t.Copy, added by
// whoever registers the plan). Debian's rustc is not self-contained: it finds
// librustc_driver, and through it its sysroot, in /usr/lib/<multiarch>, not
// next to itself, so a copy would still run the host's files; it stays in
// place, under /usr, where every machine of the OS has it.
// With remember, the copy's hash is remembered across runs and workspaces by
// its files' identity (OpenCache); otherwise it is computed every time.
func (t *Toolchain) Use(mode Mode, remember bool) error {
	if t.HostSysroot == "" {
		t.HostSysroot = t.Sysroot
	}
	if mode == HostMode || strings.HasPrefix(t.HostSysroot, "/nix/store/") {
		return nil
	}
	if selfContained(t.HostSysroot) {
		if err := t.copyToStore(remember); err != nil {
			return err
		}
	}
	// What the jobs still take from the host: the linker and the system.
	t.SandboxPaths = systemPaths()
	if t.Copy == nil && !inSystem(t.HostSysroot) {
		t.SandboxPaths = append([]string{t.HostSysroot}, t.SandboxPaths...)
	}
	// cc by name, and the file its links lead to (Debian's go through
	// /etc/alternatives, which the system paths hold).
	if t.CC != "" {
		ccs := []string{t.CC}
		if real, err := filepath.EvalSymlinks(t.CC); err == nil && real != t.CC {
			ccs = append(ccs, real)
		}
		for _, cc := range ccs {
			if dir := dirOf(cc); !inSystem(cc) && !strings.HasPrefix(cc, "/nix/store/") && !slices.Contains(t.SandboxPaths, dir) {
				t.SandboxPaths = append(t.SandboxPaths, dir)
			}
		}
	}
	t.InStore = false
	return nil
}

// HostSpecific lists the host paths the jobs name outside the system
// directories (a host toolchain's sysroot, a linker in a home directory): none
// when the derivations are the same on every machine with this toolchain and OS.
func (t *Toolchain) HostSpecific() []string {
	var paths []string
	for _, p := range t.SandboxPaths {
		if !inSystem(p) {
			paths = append(paths, p)
		}
	}
	return paths
}

func dirOf(p string) string {
	if i := strings.LastIndex(p, "/"); i > 0 {
		return p[:i]
	}
	return "/"
}

// selfContained reports whether the toolchain at sysroot carries the libraries
// rustc loads (rustup's and release tarballs' rustc find them through RUNPATH
// $ORIGIN/../lib), so that a copy elsewhere runs on its own files.
func selfContained(sysroot string) bool {
	m, _ := filepath.Glob(filepath.Join(sysroot, "lib", "librustc_driver-*"))
	return len(m) > 0
}
