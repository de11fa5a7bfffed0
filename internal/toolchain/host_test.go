package toolchain

import (
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/source"
)

func TestHostRustcAndUse(t *testing.T) {
	copied := &source.Tree{Name: "rust-toolchain", Dir: "/opt/rust"}
	for _, tc := range []struct {
		name  string
		tc    Toolchain
		rustc string
		use   string
	}{
		{"host mode", Toolchain{Toolchain: plan.Toolchain{Rustc: "/opt/rust/bin/rustc"}, Sysroot: "/opt/rust", HostSysroot: "/opt/rust"},
			"/opt/rust/bin/rustc", "rustc lives outside the Nix store"},
		{"store copy: the host's file", Toolchain{Toolchain: plan.Toolchain{Rustc: "/nix/store/aaa-rust-toolchain/bin/rustc"}, Sysroot: "/nix/store/aaa-rust-toolchain", HostSysroot: "/opt/rust", Copy: copied},
			"/opt/rust/bin/rustc", "the linker and the system's libraries come from the host"},
		{"a toolchain in the store", Toolchain{Toolchain: plan.Toolchain{Rustc: "/nix/store/bbb-rustc/bin/rustc"}, Sysroot: "/nix/store/bbb-rustc"},
			"/nix/store/bbb-rustc/bin/rustc", "the linker and the system's libraries come from the host"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.tc.HostRustc(); got != tc.rustc {
				t.Errorf("HostRustc = %q, want %q", got, tc.rustc)
			}
			if got := tc.tc.HostUse(); got != tc.use {
				t.Errorf("HostUse = %q, want %q", got, tc.use)
			}
		})
	}
}
