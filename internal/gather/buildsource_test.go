package gather

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/unitgraph"
)

// A build-script compile gets the build script's file alone only when
// nothing in it, outside comment lines, can make rustc read another file or
// keep the package's directory, and no proc-macro compiles it.
func TestBuildScriptFile(t *testing.T) {
	plain := "// Reads a module, env!() and include!s in comments only.\nuse std::env;\nfn main() {\n    println!(\"cargo::rerun-if-changed=build.rs\");\n    let _ = env::var(\"OUT_DIR\");\n}\n"
	for _, tc := range []struct {
		name, text, src string
		procMacro       bool
		want            string
	}{
		{name: "plain", text: plain, want: "build.rs"},
		{name: "in a directory", text: plain, src: "build/main.rs", want: "build/main.rs"},
		{name: "a module", text: "mod helpers;\nfn main() {}\n"},
		{name: "a module with a path", text: "#[path = \"x.rs\"]\nmod x;\nfn main() {}\n"},
		{name: "an inline module", text: "fn main() {}\nmod tests {}\n"},
		{name: "include!", text: "fn main() { include!(\"gen.rs\"); }\n"},
		{name: "include_str!", text: "const V: &str = include_str!(\"VERSION\");\nfn main() {}\n"},
		{name: "env! of the package's directory", text: "fn main() { let _ = env!(\"CARGO_MANIFEST_DIR\"); }\n"},
		{name: "option_env!", text: "fn main() { let _ = option_env!(\"X\"); }\n"},
		{name: "a trailing comment", text: "fn main() {} // include!(\"x\")\n"},
		{name: "outside the package", text: plain, src: "../shared/build.rs"},
		{name: "a proc-macro dependency", text: plain, procMacro: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "pkg")
			src := tc.src
			if src == "" {
				src = "build.rs"
			}
			path := filepath.Join(dir, src)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			pkg := &unitgraph.Package{Name: "pkg", Version: "0.1.0", ManifestPath: filepath.Join(dir, "Cargo.toml")}
			g := &unitgraph.Graph{Units: []unitgraph.Unit{
				{Target: unitgraph.Target{Kind: []string{"custom-build"}, SrcPath: path}, Mode: "build", Package: pkg},
				{Target: unitgraph.Target{Kind: []string{"lib"}}, Mode: "build", Package: pkg},
			}}
			if tc.procMacro {
				g.Units[1].Target.Kind = []string{"proc-macro"}
			}
			g.Units[0].Dependencies = []unitgraph.Dependency{{Index: 1}}
			got, err := buildScriptFile(g, &g.Units[0])
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("buildScriptFile = %q, want %q", got, tc.want)
			}
		})
	}
}
