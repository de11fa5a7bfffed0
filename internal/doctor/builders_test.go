package doctor

import (
	"os"
	"reflect"
	"testing"
)

func TestParseBuilders(t *testing.T) {
	files := map[string]string{"/etc/nix/machines": "ssh://b x86_64-linux,aarch64-linux /k 4 1 kvm,big-parallel - AAAA\n"}
	read := func(f string) ([]byte, error) {
		if s, ok := files[f]; ok {
			return []byte(s), nil
		}
		return nil, os.ErrNotExist
	}
	for _, c := range []struct {
		name, spec string
		want       []Builder
	}{
		{"empty", "", nil},
		{"uri only", "ssh-ng://root@127.0.0.1", []Builder{{URI: "ssh-ng://root@127.0.0.1"}}},
		{"all fields, two specs", "ssh-ng://a?remote-store=local?root=/r x86_64-linux - 2 1 nix-command,ca-derivations; ssh://c aarch64-linux # a comment",
			[]Builder{{URI: "ssh-ng://a?remote-store=local?root=/r", Systems: []string{"x86_64-linux"}, Supported: []string{"nix-command", "ca-derivations"}},
				{URI: "ssh://c", Systems: []string{"aarch64-linux"}}}},
		{"file", "@/etc/nix/machines", []Builder{{URI: "ssh://b", Systems: []string{"x86_64-linux", "aarch64-linux"}, SSHKey: "/k", Supported: []string{"kvm", "big-parallel"}, HostKey: "AAAA"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseBuilders(c.spec, read)
			if err != nil || !reflect.DeepEqual(got, c.want) {
				t.Errorf("ParseBuilders(%q) = %+v, %v\nwant %+v", c.spec, got, err, c.want)
			}
		})
	}
	if got, err := ParseBuilders("@/etc/nix/missing", read); err != nil || len(got) != 0 {
		t.Errorf("a missing machines file: %+v, %v; want no builders, as Nix", got, err)
	}
	if _, err := ParseBuilders("@/etc/nix/unreadable", func(string) ([]byte, error) { return nil, os.ErrPermission }); err == nil {
		t.Error("an unreadable machines file was accepted")
	}
}

func TestStoreURI(t *testing.T) {
	for _, c := range []struct {
		b    Builder
		want string
	}{
		{Builder{URI: "ssh-ng://h"}, "ssh-ng://h"},
		{Builder{URI: "ssh-ng://h", SSHKey: "/k", HostKey: "AAAA"}, "ssh-ng://h?ssh-key=/k&base64-ssh-public-host-key=AAAA"},
		{Builder{URI: "ssh-ng://h?ssh-key=/j&remote-store=local", SSHKey: "/k"}, "ssh-ng://h?ssh-key=/j&remote-store=local"},
		{Builder{URI: "ssh://h?compress=true", SSHKey: "/k"}, "ssh://h?compress=true&ssh-key=/k"},
	} {
		if got := c.b.StoreURI(); got != c.want {
			t.Errorf("StoreURI(%+v) = %q, want %q", c.b, got, c.want)
		}
	}
}
