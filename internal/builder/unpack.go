package builder

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// unpackCrate writes the planned files of a .crate (a gzipped tar whose
// entries are under Prefix) into the output, executable where the archive
// says so, as Cargo unpacks them: the output's NAR hash is then the one the
// derivation fixes, and the tree equals Cargo's copy without .cargo-ok.
func (b *builder) unpackCrate() error {
	f, err := os.Open(b.job.Crate)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: %w", b.job.Crate, err)
	}
	want := map[string]bool{}
	for _, p := range b.job.Files {
		want[p] = true
	}
	tr := newTarReader(gz)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", b.job.Crate, err)
		}
		rel, ok := strings.CutPrefix(h.Name, b.job.Prefix)
		if !ok || !want[rel] {
			continue
		}
		delete(want, rel)
		dst := filepath.Join(b.out, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		switch h.Type {
		case tarSymlink:
			err = os.Symlink(h.Linkname, dst)
		case tarFile:
			err = writeFile(dst, tr, h.Mode&0o100 != 0)
		default:
			err = fmt.Errorf("%s: %s is neither a file nor a symlink", b.job.Crate, h.Name)
		}
		if err != nil {
			return err
		}
	}
	if len(want) > 0 {
		missing := make([]string, 0, len(want))
		for p := range want {
			missing = append(missing, p)
		}
		slices.Sort(missing)
		return fmt.Errorf("%s lacks %s", b.job.Crate, strings.Join(missing, ", "))
	}
	return os.MkdirAll(b.out, 0o755)
}

func writeFile(dst string, r io.Reader, exec bool) error {
	mode := os.FileMode(0o644)
	if exec {
		mode = 0o755
	}
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
