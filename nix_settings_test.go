package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestJoinOptionArgs(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"cnu build --option substituters file:///c -j 0", "cnu build --option=substituters=file:///c -j 0"},
		{"cnu build --option a 1 --option b 2", "cnu build --option=a=1 --option=b=2"},
		{"cnu test -- --option a 1", "cnu test -- --option a 1"},
		{"cnu build --option a", "cnu build --option a"},
	} {
		if got := strings.Join(joinOptionArgs(strings.Fields(c.in)), " "); got != c.want {
			t.Errorf("joinOptionArgs(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestStoreURLLast(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"cnu push file:///c --sign-key k -p app", "cnu push --sign-key k -p app file:///c"},
		{"cnu push --release file:///c", "cnu push --release file:///c"},
		{"cnu build file:///c", "cnu build file:///c"},
	} {
		if got := strings.Join(storeURLLast(strings.Fields(c.in)), " "); got != c.want {
			t.Errorf("storeURLLast(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestOptionList(t *testing.T) {
	var o optionList
	for _, s := range []string{"builders=ssh-ng://h x86_64-linux - 2 1 nix-command,ca-derivations", "substituters="} {
		if err := o.Set(s); err != nil {
			t.Fatal(err)
		}
	}
	want := [][2]string{{"builders", "ssh-ng://h x86_64-linux - 2 1 nix-command,ca-derivations"}, {"substituters", ""}}
	if !reflect.DeepEqual(o.pairs, want) {
		t.Errorf("pairs %q, want %q", o.pairs, want)
	}
	if err := o.Set("=x"); err == nil {
		t.Error("an empty name was accepted")
	}
}
