package builder

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// The builder's tar reader reads what archive/tar writes in every format a
// .crate may use: ustar (with a prefix for long paths), GNU long names, PAX.
func TestTarReaderReadsArchiveTar(t *testing.T) {
	long := "crate-1.0.0/" + strings.Repeat("deep/", 30) + "file.rs"
	for _, format := range []tar.Format{tar.FormatUSTAR, tar.FormatGNU, tar.FormatPAX} {
		var buf bytes.Buffer
		w := tar.NewWriter(&buf)
		entries := []struct {
			h    tar.Header
			body string
		}{
			{tar.Header{Name: "crate-1.0.0/Cargo.toml", Mode: 0o644, Typeflag: tar.TypeReg}, "[package]\n"},
			{tar.Header{Name: "crate-1.0.0/run.sh", Mode: 0o755, Typeflag: tar.TypeReg}, strings.Repeat("x", 700)},
			{tar.Header{Name: "crate-1.0.0/src/", Mode: 0o755, Typeflag: tar.TypeDir}, ""},
			{tar.Header{Name: "crate-1.0.0/link", Linkname: "Cargo.toml", Typeflag: tar.TypeSymlink}, ""},
			{tar.Header{Name: long, Mode: 0o644, Typeflag: tar.TypeReg}, "fn f() {}\n"},
			{tar.Header{Name: "crate-1.0.0/empty", Mode: 0o644, Typeflag: tar.TypeReg}, ""},
		}
		for _, e := range entries {
			e.h.Size, e.h.Format = int64(len(e.body)), format
			if format == tar.FormatUSTAR && e.h.Name == long {
				e.h.Name = "crate-1.0.0/" + strings.Repeat("deep/", 20) + "file.rs" // ustar's prefix holds 155 bytes
			}
			if err := w.WriteHeader(&e.h); err != nil {
				t.Fatal(err)
			}
			io.WriteString(w, e.body)
		}
		w.Close()
		r := newTarReader(&buf)
		for k, e := range entries {
			h, err := r.Next()
			if err != nil {
				t.Fatalf("%v: entry %d: %v", format, k, err)
			}
			name := e.h.Name
			if format == tar.FormatUSTAR && name == long {
				name = "crate-1.0.0/" + strings.Repeat("deep/", 20) + "file.rs"
			}
			body, _ := io.ReadAll(r)
			if h.Name != name || h.Linkname != e.h.Linkname || h.Mode&0o777 != e.h.Mode&0o777 || string(body) != e.body {
				t.Errorf("%v: entry %d: %+v %q, want %s %q", format, k, h, body, name, e.body)
			}
		}
		if _, err := r.Next(); !errors.Is(err, io.EOF) {
			t.Errorf("%v: after the last entry: %v, want EOF", format, err)
		}
	}
}

// An entry read only in part is skipped whole.
func TestTarReaderSkipsUnread(t *testing.T) {
	var buf bytes.Buffer
	w := tar.NewWriter(&buf)
	for _, n := range []string{"a", "b"} {
		w.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: 1000, Typeflag: tar.TypeReg})
		io.WriteString(w, strings.Repeat(n, 1000))
	}
	w.Close()
	r := newTarReader(&buf)
	r.Next()
	r.Read(make([]byte, 10))
	h, err := r.Next()
	if err != nil || h.Name != "b" {
		t.Fatalf("second entry %+v, %v", h, err)
	}
}
