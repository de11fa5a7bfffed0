package lastbuild

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// record builds a two-unit record: app depends on lib.
func record(ca bool, libSrc, libFlags, appFlags string) *Record {
	lib := &Inputs{Unit: "lib v1 (lib)", Drv: "/nix/store/l-" + libSrc + libFlags + ".drv", Sources: []string{libSrc}, Tools: []string{"/b"}, Deps: map[string]string{}, Flags: libFlags}
	app := &Inputs{Unit: "app v1 (bin app)", Drv: "/nix/store/a-" + lib.Drv[11:] + appFlags + ".drv", Sources: []string{"/app-src"}, Tools: []string{"/b"},
		Deps: map[string]string{"lib": lib.Drv}, Flags: appFlags}
	return &Record{Version: Version, ContentAddressed: ca, Units: map[string]*Inputs{"lib": lib, "app": app}}
}

func TestExplain(t *testing.T) {
	base := record(true, "/src-a", "f1", "g1")
	for _, tc := range []struct {
		name     string
		old, cur *Record
		key      string
		want     []string
	}{
		{"no record", nil, base, "app", []string{"no earlier build is recorded (`cargo nix-unit build` records one)"}},
		{"mode", record(false, "/src-a", "f1", "g1"), base, "app", []string{"derivation mode changed: input-addressed → content-addressed"}},
		{"unchanged", base, base, "app", []string{"same derivation as the last build: its output has left the store (garbage collection?) or that build stopped before it"}},
		{"own source", base, record(true, "/src-b", "f1", "g1"), "lib", []string{"source changed: /src-a → /src-b"}},
		{"own flags", base, record(true, "/src-a", "f1", "g2"), "app", []string{"flags changed (rustc arguments, environment or build-script settings)"}},
		{"through a dependency", base, record(true, "/src-b", "f1", "g1"), "app", []string{
			"dependency lib v1 (lib) changed",
			"  where it started: lib v1 (lib): source changed: /src-a → /src-b",
		}},
		{"new unit", &Record{Version: Version, ContentAddressed: true, Units: map[string]*Inputs{}}, base, "app", []string{"not part of the last build"}},
		{"unknown key", base, base, "nope", nil},
	} {
		if got := Explain(tc.old, tc.cur, tc.key); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

func TestExplainDependencySetAndTools(t *testing.T) {
	old := record(true, "/src-a", "f1", "g1")
	cur := record(true, "/src-a", "f1", "g1")
	app := cur.Units["app"]
	app.Drv += "x"
	app.Tools = []string{"/b2"}
	app.Deps = map[string]string{"other": "/nix/store/o.drv"}
	got := strings.Join(Explain(old, cur, "app"), "\n")
	want := "builder or toolchain changed: /b → /b2\ndependency added: other\ndependency removed: lib"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestFlagsHashBlanksPaths(t *testing.T) {
	a := flagsHash(`{"args":["/nix/store/src-1/lib.rs","--extern","x=/nix/store/dep-1/lib.rlib"]}`, []string{"/nix/store/src-1", "<source>", "/nix/store/dep-1", "<dep x>"})
	b := flagsHash(`{"args":["/nix/store/src-2/lib.rs","--extern","x=/nix/store/dep-2/lib.rlib"]}`, []string{"/nix/store/src-2", "<source>", "/nix/store/dep-2", "<dep x>"})
	c := flagsHash(`{"args":["/nix/store/src-2/lib.rs","-O","--extern","x=/nix/store/dep-2/lib.rlib"]}`, []string{"/nix/store/src-2", "<source>", "/nix/store/dep-2", "<dep x>"})
	if a != b {
		t.Errorf("new paths changed the flags hash: %s %s", a, b)
	}
	if b == c {
		t.Errorf("a new flag did not change the hash")
	}
	// Lists ordered by dependency path may reorder when a path changes.
	e := flagsHash(`{"args":["-L","dependency=/nix/store/dep-1","-L","dependency=/nix/store/z"]}`, []string{"/nix/store/dep-1", "<dep x>"})
	f := flagsHash(`{"args":["-L","dependency=/nix/store/z","-L","dependency=/nix/store/dep-2"]}`, []string{"/nix/store/dep-2", "<dep x>"})
	if e != f {
		t.Errorf("reordered dependency directories changed the flags hash")
	}
	// A path that starts with another is replaced whole.
	d := flagsHash("/nix/store/ab /nix/store/a", []string{"/nix/store/a", "<1>", "/nix/store/ab", "<2>"})
	if d != flagsHash("<2> <1>", nil) {
		t.Errorf("prefix paths replaced in the wrong order")
	}
}

func TestSaveLoadMerge(t *testing.T) {
	path := Path(t.TempDir())
	if r, err := Load(path); r != nil || err != nil {
		t.Fatalf("missing record: %v, %v", r, err)
	}
	old := record(true, "/src-a", "f1", "g1")
	old.Units["gone"] = &Inputs{Unit: "gone", Deps: map[string]string{}}
	if err := Save(path, old); err != nil {
		t.Fatal(err)
	}
	cur := record(true, "/src-b", "f1", "g1")
	merged := Merge(old, cur)
	if merged.Units["gone"] == nil || merged.Units["lib"].Sources[0] != "/src-b" {
		t.Errorf("merge kept %v", merged.Units)
	}
	if Merge(old, record(false, "/src-a", "f1", "g1")).Units["gone"] != nil {
		t.Errorf("a record in another mode was merged")
	}
	if err := Save(path, merged); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil || !reflect.DeepEqual(got, merged) {
		t.Errorf("load after save: %v\n%+v", err, got)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	os.WriteFile(path, []byte("{"), 0o644)
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "delete it") {
		t.Errorf("damaged record: %v", err)
	}
}
