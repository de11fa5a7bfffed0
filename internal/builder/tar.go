package builder

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// A .crate is a gzipped tar. This reads the tar with just what crates use —
// regular files, directories, symlinks, ustar prefixes, GNU long names and
// PAX path records — instead of archive/tar, which imports os/user and with
// it cgo: a plain `go install` would then make a dynamically linked builder,
// and the sandbox has no libc.

// tarHeader is one entry of a tar stream.
type tarHeader struct {
	Name, Linkname string
	Type           byte // '0' file, '2' symlink, '5' directory, ...
	Mode           int64
	Size           int64
}

const (
	tarFile    = '0'
	tarSymlink = '2'
)

// tarReader reads entries one after the other; each entry's content is read
// from the reader itself until the next call of Next.
type tarReader struct {
	r    io.Reader
	left int64 // unread bytes of the current entry, padding included
	body io.Reader
}

func newTarReader(r io.Reader) *tarReader { return &tarReader{r: r} }

func (t *tarReader) Read(p []byte) (int, error) {
	if t.body == nil {
		return 0, io.EOF
	}
	return t.body.Read(p)
}

// Next skips the rest of the current entry and reads the next header; io.EOF
// at the end of the archive.
func (t *tarReader) Next() (*tarHeader, error) {
	var longName, longLink string
	var pax map[string]string
	for {
		if _, err := io.CopyN(io.Discard, t.r, t.left); err != nil {
			return nil, unexpected(err)
		}
		t.left, t.body = 0, nil
		var block [512]byte
		if _, err := io.ReadFull(t.r, block[:]); err != nil {
			if errors.Is(err, io.EOF) {
				return nil, io.EOF
			}
			return nil, unexpected(err)
		}
		if block == [512]byte{} {
			return nil, io.EOF // the end-of-archive marker
		}
		h, err := parseTarHeader(&block)
		if err != nil {
			return nil, err
		}
		if sz, ok := pax["size"]; ok && h.Type != 'x' && h.Type != 'L' && h.Type != 'K' {
			if h.Size, err = strconv.ParseInt(sz, 10, 64); err != nil {
				return nil, fmt.Errorf("tar: PAX size %q", sz)
			}
		}
		t.left = (h.Size + 511) &^ 511 // the content, padded to a block
		t.body = &counted{r: io.LimitReader(t.r, h.Size), n: &t.left}
		switch h.Type {
		case 'L', 'K', 'x': // the next entry's long name, long link name, PAX records
			data, err := io.ReadAll(t.body)
			if err != nil {
				return nil, unexpected(err)
			}
			switch h.Type {
			case 'L':
				longName = string(bytes.TrimRight(data, "\x00"))
			case 'K':
				longLink = string(bytes.TrimRight(data, "\x00"))
			default:
				if pax, err = parsePAX(data); err != nil {
					return nil, err
				}
			}
			continue
		case 'g': // global PAX records: nothing crates need
			continue
		}
		if longName != "" {
			h.Name = longName
		}
		if longLink != "" {
			h.Linkname = longLink
		}
		if p, ok := pax["path"]; ok {
			h.Name = p
		}
		if l, ok := pax["linkpath"]; ok {
			h.Linkname = l
		}
		if h.Type == 0 || h.Type == '7' {
			h.Type = tarFile // old tars' regular files, contiguous files
		}
		return h, nil
	}
}

// counted lowers *n by what is read through it, so Next skips only the rest.
type counted struct {
	r io.Reader
	n *int64
}

func (c *counted) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	*c.n -= int64(k)
	return k, err
}

func parseTarHeader(b *[512]byte) (*tarHeader, error) {
	var sum int64
	for i, c := range b {
		if i >= 148 && i < 156 {
			c = ' ' // the checksum field counts as spaces
		}
		sum += int64(c)
	}
	want, err := octal(b[148:156])
	if err != nil || want != sum {
		return nil, errors.New("tar: bad header checksum")
	}
	h := &tarHeader{Name: cstring(b[0:100]), Linkname: cstring(b[157:257]), Type: b[156]}
	if h.Mode, err = octal(b[100:108]); err != nil {
		return nil, err
	}
	if h.Size, err = number(b[124:136]); err != nil {
		return nil, err
	}
	if string(b[257:262]) == "ustar" {
		if prefix := cstring(b[345:500]); prefix != "" && string(b[257:263]) == "ustar\x00" {
			h.Name = prefix + "/" + h.Name
		}
	}
	return h, nil
}

// number reads an octal field, or a GNU base-256 one (high bit set).
func number(f []byte) (int64, error) {
	if len(f) > 0 && f[0]&0x80 != 0 {
		var n int64
		for i, c := range f {
			if i == 0 {
				c &= 0x7f
			}
			n = n<<8 | int64(c)
		}
		return n, nil
	}
	return octal(f)
}

func octal(f []byte) (int64, error) {
	s := strings.Trim(string(f), " \x00")
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 8, 64)
	if err != nil {
		return 0, fmt.Errorf("tar: bad number %q", s)
	}
	return n, nil
}

func cstring(f []byte) string {
	if i := bytes.IndexByte(f, 0); i >= 0 {
		f = f[:i]
	}
	return string(f)
}

// parsePAX reads "<length> <key>=<value>\n" records.
func parsePAX(data []byte) (map[string]string, error) {
	recs := map[string]string{}
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		if sp < 0 {
			return nil, errors.New("tar: bad PAX record")
		}
		n, err := strconv.Atoi(string(data[:sp]))
		if err != nil || n <= sp || n > len(data) {
			return nil, errors.New("tar: bad PAX record length")
		}
		k, v, ok := strings.Cut(string(data[sp+1:n-1]), "=")
		if !ok {
			return nil, errors.New("tar: bad PAX record")
		}
		recs[k] = v
		data = data[n:]
	}
	return recs, nil
}

func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
