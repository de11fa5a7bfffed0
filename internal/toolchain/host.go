package toolchain

import (
	"path/filepath"
	"strings"
)

// HostRustc is the rustc file on this machine, which the no-op check watches:
// an update of the toolchain replaces it, never its store copy.
func (t *Toolchain) HostRustc() string {
	if t.HostSysroot == "" || t.Copy == nil {
		return t.Rustc
	}
	return filepath.Join(t.HostSysroot, "bin", "rustc")
}

// HostUse says what the builds take from the host, for a failure that may
// come from a path the sandbox does not show.
func (t *Toolchain) HostUse() string {
	if strings.HasPrefix(t.Sysroot, "/nix/store/") {
		return "the linker and the system's libraries come from the host"
	}
	return "rustc lives outside the Nix store"
}
