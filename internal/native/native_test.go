package native

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, File), []byte("[package.zlib-sys]\nenv = { A = \"1\", B = \"toml\" }\nsandbox-paths = [\"/tmp\"]\n"), 0o644)
	meta := json.RawMessage(`{"nix-unit": {"env": {"B": "cargo"}}, "docs.rs": {"all-features": true}}`)
	got, err := Load(root, []Package{{Name: "zlib-sys", Manifest: "zlib-sys/Cargo.toml", Metadata: meta}, {Name: "other", Metadata: json.RawMessage(`null`)}})
	if err != nil {
		t.Fatal(err)
	}
	in := got["zlib-sys"]
	if in == nil || in.Env["A"] != "1" || in.Env["B"] != "cargo" || len(in.SandboxPaths) != 1 {
		t.Errorf("merged %+v: want A from nix-unit.toml, B from Cargo.toml, the sandbox path", in)
	}
	if len(in.OnHost) != 0 {
		t.Errorf("on-host %v, declared nowhere", in.OnHost)
	}
	if got["other"] != nil {
		t.Errorf("a package without a table got %+v", got["other"])
	}
	env := map[string]string{"PATH": "/usr/bin"}
	(&Inputs{Store: []string{"/nix/store/abc-zlib"}, Env: map[string]string{"X": "y"}}).Apply(env)
	if env["PATH"] != "/nix/store/abc-zlib/bin:/usr/bin" || !strings.HasPrefix(env["PKG_CONFIG_PATH"], "/nix/store/abc-zlib/lib/pkgconfig:") || env["X"] != "y" {
		t.Errorf("applied: %v", env)
	}

	for name, bad := range map[string]string{
		"not a store path":  `{"nix-unit": {"store": ["/usr/lib"]}}`,
		"missing path":      `{"nix-unit": {"store": ["/nix/store/00000000000000000000000000000000-gone"]}}`,
		"relative sandbox":  `{"nix-unit": {"sandbox-paths": ["lib"]}}`,
		"unknown key":       `{"nix-unit": {"inputs": []}}`,
		"bad variable name": `{"nix-unit": {"env": {"A=B": "c"}}}`,
		"on-host not list":  `{"nix-unit": {"on-host": "net"}}`,
		"empty on-host":     `{"nix-unit": {"on-host": [""]}}`,
	} {
		_, err := Load(t.TempDir(), []Package{{Name: "p", Manifest: "p/Cargo.toml", Metadata: json.RawMessage(bad)}})
		if err == nil || !strings.Contains(err.Error(), "p/Cargo.toml") {
			t.Errorf("%s: %v", name, err)
		}
	}
	hosted, err := Load(t.TempDir(), []Package{{Name: "p", Manifest: "p/Cargo.toml", Metadata: json.RawMessage(`{"nix-unit": {"on-host": ["net", "p"]}}`)}})
	if err != nil || len(hosted["p"].OnHost) != 2 {
		t.Errorf("on-host: %+v, %v", hosted["p"], err)
	}
	os.WriteFile(filepath.Join(root, File), []byte("[packages.x]\nenv = {}\n"), 0o644)
	if _, err := Load(root, nil); err == nil || !strings.Contains(err.Error(), "unknown key") {
		t.Errorf("top-level typo: %v", err)
	}
}
