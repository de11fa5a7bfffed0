package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
)

// generateDAG writes a workspace of n library crates in layers of about √n,
// each depending on up to three crates of the layer below, and a binary using
// the top layer. Leaf = a crate of the top layer; bottom = a crate of layer 0,
// which every other crate reaches.
func generateDAG(dir string, n int) (workspace, error) {
	width := max(1, int(math.Sqrt(float64(n))))
	name := func(i int) string { return fmt.Sprintf("c%04d", i) }
	var members []string
	layerOf := func(i int) int { return i / width }
	for i := 0; i < n; i++ {
		var deps, uses []string
		if l := layerOf(i); l > 0 {
			below := (l - 1) * width
			for k := 0; k < 3; k++ {
				d := below + (i*7+k*3)%width
				if d < i && !contains(deps, name(d)) {
					deps = append(deps, name(d))
				}
			}
		}
		for _, d := range deps {
			uses = append(uses, d+"::value()")
		}
		body := "0"
		if len(uses) > 0 {
			body = strings.Join(uses, " + ")
		}
		lib := fmt.Sprintf("pub fn value() -> u64 {\n    %d + %s\n}\n", i, body)
		if err := writeCrate(dir, name(i), deps, "src/lib.rs", lib); err != nil {
			return workspace{}, err
		}
		members = append(members, name(i))
	}
	top := (n - 1) / width * width
	var deps, sum []string
	for i := top; i < n; i++ {
		deps = append(deps, name(i))
		sum = append(sum, name(i)+"::value()")
	}
	main := fmt.Sprintf("fn main() {\n    println!(\"{}\", %s);\n}\n", strings.Join(sum, " + "))
	if err := writeCrate(dir, "app", deps, "src/main.rs", main); err != nil {
		return workspace{}, err
	}
	members = append(members, "app")
	quoted := make([]string, len(members))
	for k, m := range members {
		quoted[k] = fmt.Sprintf("%q", m)
	}
	ws := fmt.Sprintf("[workspace]\nresolver = \"2\"\nmembers = [%s]\n", strings.Join(quoted, ", "))
	if err := os.WriteFile(filepath.Join(dir, "Cargo.toml"), []byte(ws), 0o644); err != nil {
		return workspace{}, err
	}
	return workspace{name: fmt.Sprintf("DAG of %d crates", n), dir: dir,
		edits: commentEdits(name(n-1)+"/src/lib.rs", name(0)+"/src/lib.rs", "app/src/main.rs")}, nil
}

func writeCrate(root, name string, deps []string, file, body string) error {
	dir := filepath.Join(root, name)
	if err := os.MkdirAll(filepath.Join(dir, "src"), 0o755); err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "[package]\nname = %q\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n", name)
	for _, d := range deps {
		fmt.Fprintf(&b, "%s = { path = \"../%s\" }\n", d, d)
	}
	if err := os.WriteFile(filepath.Join(dir, "Cargo.toml"), []byte(b.String()), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, file), []byte(body), 0o644)
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}
