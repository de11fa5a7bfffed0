package builder

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// In incremental mode rustc names the object files of a compile
// <stem>.<codegen unit>.<random>.rcgu.o, with a random part drawn anew by each
// invocation (rust-lang/rust#139453: two processes sharing an output
// directory must not overwrite each other's temporary files). Executables
// and shared libraries do not keep those names, but rlibs and staticlibs are
// archives of those files under those names, so every compile of the same
// sources would give another rlib, and a content-addressed unit another store
// path. normalizeArchive makes the random part zeros of the same length, in
// place: nothing moves, so the archive's symbol table stays valid, and the
// archive is the one any compile of the same sources gives.

// normalizeArchive rewrites the names of stem's object files in the ar archive
// at path. It changes nothing unless all of them share one random part.
func normalizeArchive(path, stem string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	names, err := archiveNames(f)
	if err != nil {
		return fmt.Errorf("reading the archive %s: %w", path, err)
	}
	random := ""
	var hits []archiveName
	for _, n := range names {
		r, ok := randomPart(n.name, stem)
		if !ok {
			continue
		}
		if random != "" && r != random {
			return nil // not one invocation's names: leave them
		}
		random = r
		hits = append(hits, n)
	}
	if random == "" {
		return nil
	}
	zeros := strings.Repeat("0", len(random))
	for _, n := range hits {
		at := strings.LastIndex(n.name, "."+random+".rcgu.o") + 1
		if _, err := f.WriteAt([]byte(zeros), n.offset+int64(at)); err != nil {
			return err
		}
	}
	return nil
}

// randomPart returns R of a name "<stem>.<cgu>.<R>.rcgu.o".
func randomPart(name, stem string) (string, bool) {
	rest, ok := strings.CutPrefix(name, stem+".")
	if !ok {
		return "", false
	}
	rest, ok = strings.CutSuffix(rest, ".rcgu.o")
	if !ok {
		return "", false
	}
	parts := strings.Split(rest, ".")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return "", false
	}
	return parts[1], true
}

// archiveName is a member's name and where its bytes are in the file.
type archiveName struct {
	name   string
	offset int64
}

// archiveNames lists the member names of an ar archive in the GNU format
// (short names in the header, long ones in the "//" table) or the BSD one
// (#1/<length>: the name starts the member's data).
func archiveNames(r io.ReaderAt) ([]archiveName, error) {
	magic := make([]byte, 8)
	if _, err := r.ReadAt(magic, 0); err != nil || string(magic) != "!<arch>\n" {
		return nil, errors.New("not an ar archive")
	}
	var names []archiveName
	var longNames []byte
	longAt := int64(-1)
	hdr := make([]byte, 60)
	for off := int64(8); ; {
		if _, err := r.ReadAt(hdr, off); err == io.EOF {
			return names, nil
		} else if err != nil {
			return nil, err
		}
		if string(hdr[58:60]) != "`\n" {
			return nil, fmt.Errorf("bad member header at %d", off)
		}
		size, err := strconv.ParseInt(strings.TrimSpace(string(hdr[48:58])), 10, 64)
		if err != nil || size < 0 {
			return nil, fmt.Errorf("bad member size at %d", off)
		}
		field := strings.TrimRight(string(hdr[:16]), " ")
		data := off + 60
		switch {
		case field == "//":
			longNames = make([]byte, size)
			if _, err := r.ReadAt(longNames, data); err != nil {
				return nil, err
			}
			longAt = data
		case field == "/" || field == "/SYM64/" || strings.HasPrefix(field, "__.SYMDEF"):
		case strings.HasPrefix(field, "#1/"):
			n, err := strconv.Atoi(field[3:])
			if err != nil || int64(n) > size {
				return nil, fmt.Errorf("bad BSD name at %d", off)
			}
			b := make([]byte, n)
			if _, err := r.ReadAt(b, data); err != nil {
				return nil, err
			}
			names = append(names, archiveName{strings.TrimRight(string(b), "\x00"), data})
		case strings.HasPrefix(field, "/") && longAt >= 0:
			k, err := strconv.Atoi(field[1:])
			if err != nil || k < 0 || k >= len(longNames) {
				return nil, fmt.Errorf("bad long name at %d", off)
			}
			end := bytes.Index(longNames[k:], []byte("/\n"))
			if end < 0 {
				return nil, fmt.Errorf("unterminated long name at %d", off)
			}
			names = append(names, archiveName{string(longNames[k : k+end]), longAt + int64(k)})
		default:
			names = append(names, archiveName{strings.TrimSuffix(field, "/"), off})
		}
		off = data + size + size%2
	}
}
