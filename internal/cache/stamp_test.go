package cache

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestFingerprintSeesEveryChange(t *testing.T) {
	dir := t.TempDir()
	pkg := filepath.Join(dir, "pkg")
	write := func(rel, body string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("pkg/Cargo.toml", "[package]\n")
	write("pkg/src/lib.rs", "pub fn f() {}\n")
	write("pkg/target/debug/out", "built\n")
	in := Inputs{Dirs: []string{pkg}, Files: []string{filepath.Join(dir, "Cargo.lock"), filepath.Join(dir, ".cargo/config.toml")}}
	args := []string{"build", "--release"}
	env := []string{"HOME=/root", "RUSTFLAGS=-Copt-level=1", "GITHUB_TOKEN=secret"}
	base, _, err := Fingerprint(args, env, in)
	if err != nil {
		t.Fatal(err)
	}
	same := func(what string, wantSame bool, args, env []string) {
		t.Helper()
		got, _, err := Fingerprint(args, env, in)
		if err != nil {
			t.Fatal(err)
		}
		if (got == base) != wantSame {
			t.Errorf("%s: fingerprint same = %v, want %v", what, got == base, wantSame)
		}
	}
	same("nothing changed", true, args, env)
	same("an unrelated variable", true, args, append(env, "TERM=xterm", "GITHUB_TOKEN=other"))
	same("another flag", false, []string{"build"}, env)
	same("RUSTFLAGS", false, args, []string{"HOME=/root", "RUSTFLAGS=-Copt-level=2"})
	same("CARGO_PROFILE_*", false, args, append(env, "CARGO_PROFILE_RELEASE_LTO=true"))

	write("pkg/target/debug/out2", "more\n")
	same("a file under target/", true, args, env)
	os.Symlink("/nix/store/00000000000000000000000000000000-x", filepath.Join(pkg, "result"))
	same("a result link", true, args, env)

	for _, change := range []func(){
		func() { write("pkg/src/lib.rs", "pub fn g() {}\n") },
		func() { write("pkg/src/new.rs", "") },
		func() { os.Remove(filepath.Join(pkg, "src/new.rs")) },
		func() { write(".cargo/config.toml", "[build]\n") },
		func() { write("Cargo.lock", "version = 4\n") },
		func() {
			later := time.Now().Add(time.Hour)
			os.Chtimes(filepath.Join(pkg, "Cargo.toml"), later, later)
		},
	} {
		change()
		same("after a change", false, args, env)
		base, _, _ = Fingerprint(args, env, in)
	}
}

func TestStampRoundTripAndFreshness(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out") // stands for the store path
	os.Mkdir(out, 0o755)
	link := filepath.Join(dir, "result")
	os.Symlink(out, link)
	in := Inputs{Files: []string{filepath.Join(dir, "Cargo.toml")}}
	args, env := []string{"build"}, []string{}
	key, _, err := Fingerprint(args, env, in)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "cache", "stamp.json")
	st := &Stamp{Key: key, Inputs: in, Result: Result{Out: out, OutLink: link, Units: []string{"a v1.0.0 (lib)"}}}
	if err := st.Save(path); err != nil {
		t.Fatal(err)
	}
	got := LoadStamp(path)
	if !got.Fresh(args, env) {
		t.Fatal("a saved stamp is not fresh")
	}
	if got.Fresh([]string{"build", "-p", "a"}, env) {
		t.Error("fresh with other arguments")
	}
	os.Remove(link)
	os.Symlink(dir, link)
	if got.Fresh(args, env) {
		t.Error("fresh although the result link points elsewhere")
	}
	os.Remove(link)
	os.Symlink(out, link)
	os.Remove(out)
	if got.Fresh(args, env) {
		t.Error("fresh although the result is gone from the store")
	}
	if LoadStamp(filepath.Join(dir, "missing.json")) != nil {
		t.Error("a missing stamp loads")
	}
	var nilStamp *Stamp
	if nilStamp.Fresh(args, env) {
		t.Error("no stamp is fresh")
	}
}

// Layout paths count by presence: a new or removed target file changes the
// fingerprint, an edit of one does not (the graph cache stays valid).
func TestFingerprintLayout(t *testing.T) {
	dir := t.TempDir()
	in := Inputs{Layout: []string{filepath.Join(dir, "build.rs"), filepath.Join(dir, "src/bin"), filepath.Join(dir, "src/lib.rs")}}
	key := func() string {
		k, _, err := Fingerprint(nil, nil, in)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	write := func(rel, body string) {
		p := filepath.Join(dir, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("src/lib.rs", "pub fn f() {}\n")
	base := key()
	for _, step := range []struct {
		what   string
		change func()
		same   bool
	}{
		{"an edit of a present file", func() { write("src/lib.rs", "pub fn g() {}\n") }, true},
		{"a new build.rs", func() { write("build.rs", "fn main() {}\n") }, false},
		{"an edit of build.rs", func() { write("build.rs", "fn main() { }\n") }, true},
		{"a new src/bin", func() { os.MkdirAll(filepath.Join(dir, "src/bin"), 0o755) }, false},
		{"a new bin", func() { write("src/bin/x.rs", "fn main() {}\n") }, false},
		{"an editor's backup file", func() { write("src/bin/.x.rs.swp", "") }, true},
		{"a new bin directory", func() { os.Mkdir(filepath.Join(dir, "src/bin/tool"), 0o755) }, false},
		{"a removed build.rs", func() { os.Remove(filepath.Join(dir, "build.rs")) }, false},
	} {
		step.change()
		if got := key(); (got == base) != step.same {
			t.Errorf("%s: fingerprint same = %v, want %v", step.what, got == base, step.same)
		}
		base = key()
	}
}
