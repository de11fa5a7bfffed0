package job

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testtool"
)

// UnpackJob is byte for byte what builtins.toJSON makes of the flake's
// attribute set (nix/build-workspace.nix, unpacked): keys sorted, "<" and "&"
// unescaped.
func TestUnpackJobIsNixToJSON(t *testing.T) {
	testtool.Require(t, "nix-instantiate")
	files := []string{"Cargo.toml", "src/a<b>&c.rs", "ünï.txt"}
	got, err := UnpackJob("x-1.0.0-source", "/nix/store/00000000000000000000000000000000-x-1.0.0.crate", "x-1.0.0/", files)
	if err != nil {
		t.Fatal(err)
	}
	var list []string
	for _, f := range files {
		list = append(list, strconv.Quote(f))
	}
	expr := `builtins.toJSON { unit = "x-1.0.0-source"; action = "unpack-crate"; crate = "/nix/store/00000000000000000000000000000000-x-1.0.0.crate"; prefix = "x-1.0.0/"; files = [ ` + strings.Join(list, " ") + ` ]; }`
	out, err := exec.Command("nix-instantiate", "--eval", "--raw", "--expr", expr).Output()
	if err != nil {
		out, err = exec.Command("nix-instantiate", "--eval", "--json", "--expr", expr).Output()
		if err != nil {
			t.Fatal(err)
		}
		s, err := strconv.Unquote(strings.TrimSpace(string(out)))
		if err != nil {
			t.Fatal(err)
		}
		out = []byte(s)
	}
	if got != string(out) {
		t.Errorf("UnpackJob:\n %s\nbuiltins.toJSON:\n %s", got, out)
	}
}
