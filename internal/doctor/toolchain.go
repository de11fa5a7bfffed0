package doctor

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/toolchain"
)

// toolchainMode says where builds take the toolchain from (--toolchain) and
// whether their derivations are the same on another machine or in another home.
func toolchainMode(tc *toolchain.Toolchain, mode toolchain.Mode) Finding {
	if mode == "" {
		mode = toolchain.StoreMode
	}
	if err := tc.Use(mode, true); err != nil {
		return Finding{Fail, "toolchain", err.Error(), "build with --toolchain=host"}
	}
	var detail string
	switch {
	case strings.HasPrefix(tc.HostSysroot, "/nix/store/"):
		detail = fmt.Sprintf("%s: the toolchain is in the Nix store and used as it is", mode)
	case tc.Copy != nil:
		detail = fmt.Sprintf("store: %s is copied into the Nix store by content as %s (%d files, %.0f MB)",
			tc.HostSysroot, tc.Copy.Path, len(tc.Copy.Files), size(tc.Copy.Dir, tc.Copy.Files)/1e6)
	case mode == toolchain.HostMode:
		detail = "host: the jobs run rustc in " + tc.HostSysroot
	default:
		detail = "store: " + tc.HostSysroot + " is a system toolchain (its rustc finds its libraries there, not next to itself), used in place"
	}
	host := tc.HostSpecific()
	if len(host) == 0 {
		return Finding{OK, "toolchain", detail + "; derivations are host-independent", ""}
	}
	fix := "the same derivations need these paths to be the same on every machine"
	if mode == toolchain.HostMode {
		fix = "build with --toolchain=store (the default)"
	}
	return Finding{Note, "toolchain", detail + "; derivations name host paths (" + strings.Join(host, " ") + "), so they differ between machines and homes", fix}
}

func size(dir string, files []string) float64 {
	var n float64
	for _, f := range files {
		if fi, err := os.Lstat(filepath.Join(dir, f)); err == nil {
			n += float64(fi.Size())
		}
	}
	return n
}
