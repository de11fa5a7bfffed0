package gather

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testtool"
)

const checksum = "1aab8fc367588b89dcee83ab0fd66b72b50b72fa1904d7095045ace2b0c81c35"

var downloadCases = []struct{ dl, name, version, want string }{
	{"http://127.0.0.1/api/v1/crates", "serde", "1.0.0", "http://127.0.0.1/api/v1/crates/serde/1.0.0/download"},
	{"http://127.0.0.1/api/v1/crates/", "a", "0.1.0", "http://127.0.0.1/api/v1/crates/a/0.1.0/download"},
	{"http://127.0.0.1/{crate}-{version}.crate", "ab", "2.0.0", "http://127.0.0.1/ab-2.0.0.crate"},
	{"http://127.0.0.1/{prefix}/{crate}", "abc", "1.0.0", "http://127.0.0.1/3/a/abc"},
	{"http://127.0.0.1/{lowerprefix}/{crate}/{sha256-checksum}", "AbCd_e", "1.0.0", "http://127.0.0.1/ab/cd/AbCd_e/" + checksum},
	{"http://127.0.0.1/{prefix}", "AbCd_e", "1.0.0", "http://127.0.0.1/Ab/Cd"},
}

// DownloadURL fills in a registry's dl template as Cargo does.
func TestDownloadURL(t *testing.T) {
	for _, c := range downloadCases {
		if got := DownloadURL(c.dl, c.name, c.version, checksum); got != c.want {
			t.Errorf("%s for %s %s: %s, want %s", c.dl, c.name, c.version, got, c.want)
		}
	}
}

// The flake fills the templates in as DownloadURL does, when it fetches
// Cargo.lock's crates for a workspace without a plan file.
func TestFlakeDownloadURL(t *testing.T) {
	testtool.Require(t, "nix-instantiate")
	ws := t.TempDir()
	var lock strings.Builder
	registries := map[string]string{}
	for i, c := range downloadCases {
		source := fmt.Sprintf("sparse+http://127.0.0.1/index%d/", i)
		fmt.Fprintf(&lock, "[[package]]\nname = %q\nversion = %q\nsource = %q\nchecksum = %q\n\n", c.name, c.version, source, checksum)
		registries[source] = c.dl
	}
	if err := os.WriteFile(filepath.Join(ws, "Cargo.lock"), []byte(lock.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	regs, _ := json.Marshal(registries)
	nixFile, err := filepath.Abs("../../nix/build-workspace.nix")
	if err != nil {
		t.Fatal(err)
	}
	expr := fmt.Sprintf(`(import %s {
  src = %s; plan = null; cli = "/cli"; builder = "/builder"; rustToolchain = "/toolchain"; system = "x86_64-linux";
  registries = builtins.fromJSON %q;
}).planFile.drvAttrs.cargoNixUnitJob`, nixFile, ws, regs)
	out, err := exec.Command("nix-instantiate", "--eval", "--strict", "--json", "--readonly-mode", "--expr", expr).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("nix-instantiate: %v\n%s", err, stderr)
	}
	var enc string
	if err := json.Unmarshal(out, &enc); err != nil {
		t.Fatal(err)
	}
	var j struct{ Stdin string }
	var fetched []Fetched
	if err := json.Unmarshal([]byte(enc), &j); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(j.Stdin), &fetched); err != nil {
		t.Fatal(err)
	}
	if len(fetched) != len(downloadCases) {
		t.Fatalf("the flake fetches %d crates, want %d", len(fetched), len(downloadCases))
	}
	for i, f := range fetched {
		if want := DownloadURL(registries[f.Source], f.Name, f.Version, checksum); f.URL != want {
			t.Errorf("case %d: the flake fetches %s, DownloadURL says %s", i, f.URL, want)
		}
	}
}
