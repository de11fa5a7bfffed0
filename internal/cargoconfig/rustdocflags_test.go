package cargoconfig

import (
	"reflect"
	"testing"
)

func TestRustdocflags(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want []string
	}{
		{nil, nil},
		{map[string]string{"RUSTDOCFLAGS": " --cfg  docsrs -Dwarnings "}, []string{"--cfg", "docsrs", "-Dwarnings"}},
		{map[string]string{"CARGO_ENCODED_RUSTDOCFLAGS": "--cfg\x1fa b", "RUSTDOCFLAGS": "--ignored"}, []string{"--cfg", "a b"}},
		{map[string]string{"CARGO_ENCODED_RUSTDOCFLAGS": "", "RUSTDOCFLAGS": "--ignored"}, nil},
	} {
		lookup := func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }
		if got := Rustdocflags(lookup); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: got %q, want %q", tc.env, got, tc.want)
		}
	}
}
