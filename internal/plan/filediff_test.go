package plan

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestFileChange(t *testing.T) {
	base := File{
		Version: FileVersion,
		Checked: []Checked{{File: "Cargo.lock", SHA256: "aa"}, {File: "Cargo.toml", SHA256: "bb"}},
		Sources: []FileSource{{Name: "app-src", Kind: "path", Files: []string{"src/main.rs"}}},
		Units:   []FileUnit{{Key: "app-0.1.0-bin", Name: "app-0.1.0-bin", Deps: []string{}, Job: "{}"}},
	}
	encode := func(edit func(f *File)) []byte {
		f := base
		f.Checked = append([]Checked(nil), base.Checked...)
		f.Sources = append([]FileSource(nil), base.Sources...)
		f.Units = append([]FileUnit(nil), base.Units...)
		if edit != nil {
			edit(&f)
		}
		b, err := json.MarshalIndent(&f, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		return append(b, '\n')
	}
	have := encode(nil)
	long := strings.Repeat("x", 100)
	for _, tc := range []struct {
		name       string
		have, want []byte
		change     string
	}{
		{"equal", have, encode(nil), ""},
		{"checked file", have, encode(func(f *File) { f.Checked[1].SHA256 = "cc" }), "Cargo.toml changed"},
		{"new checked file", have, encode(func(f *File) { f.Checked = append(f.Checked, Checked{File: "m/Cargo.toml", SHA256: "dd"}) }), "m/Cargo.toml changed"},
		{"source", have, encode(func(f *File) { f.Sources[0].Files = []string{"src/lib.rs"} }), "source app-src changed"},
		{"unit", have, encode(func(f *File) { f.Units[0].Job = `{"a":1}` }), "unit app-0.1.0-bin changed"},
		{"checked before units", have, encode(func(f *File) { f.Units[0].Job = "[]"; f.Checked[0].SHA256 = "ee" }), "Cargo.lock changed"},
		{"elsewhere: the line", have, encode(func(f *File) { f.Toolchain.Host = "x86_64-linux" }), `line 5: now "host": "x86_64-linux"`},
		{"other version: the line", have, encode(func(f *File) { f.Version = 1 }), `line 2: now "version": 1,`},
		{"not JSON", []byte("a\nb\n"), []byte("a\nc\n"), "line 2: now c"},
		{"longer", []byte("a\n"), []byte("a\nb"), "line 2: now b"},
		{"shorter", []byte("a\nb"), []byte("a\n"), "line 2: now "},
		{"long line cut", []byte("a\n"), []byte("b" + long), "line 1: now b" + long[:76] + "..."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := FileChange(tc.have, tc.want); got != tc.change {
				t.Errorf("FileChange = %q, want %q", got, tc.change)
			}
		})
	}
}
