package job

import (
	"bytes"
	"encoding/json"
	"strings"
)

// UnpackJob is the job of the fixed-output derivation that unpacks a
// registry crate's source (name: its store name): exactly the string Nix's
// builtins.toJSON makes of the same attribute set in the flake
// (nix/build-workspace.nix), keys sorted and nothing HTML-escaped, so the CLI
// and the flake write the same derivation.
func UnpackJob(name, crate, prefix string, files []string) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err := enc.Encode(map[string]any{"unit": name, "action": UnpackCrate, "crate": crate, "prefix": prefix, "files": files})
	return strings.TrimSuffix(b.String(), "\n"), err
}
