package builder

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
)

// rustc keeps an incremental cache only while the paths it compiles with stay
// the same: a new --out-dir, or a dependency library at a new real path
// (symlinks are resolved), makes it generate every codegen unit again when
// debuginfo is on, as in the dev profile. A dependency's store path changes
// whenever it is rebuilt, so a persistent directory holds a mirror of the
// closure's libraries under their own names, which do not change (deps/),
// and rustc writes through a link whose path does not change either.

// stablePaths prepares the mirror of the closure's libraries and returns args
// with the externs and the output directory at stable paths, and the
// directory to give as -L dependency=.
func (d *incrementalDir) stablePaths(args []string, closure []string, scratch string) ([]string, string, error) {
	deps := filepath.Join(d.path, stateMirror)
	files, err := libraryFiles(closure)
	if err != nil {
		return nil, "", err
	}
	if err := mirror(deps, filepath.Join(d.path, stateIndex), job.IncrementalFiles(d.path), files); err != nil {
		return nil, "", fmt.Errorf("mirroring the dependencies into %s: %w", deps, err)
	}
	out := append([]string{}, args...)
	for k := 1; k < len(out); k++ {
		switch out[k-1] {
		case "--extern":
			name, p, ok := strings.Cut(out[k], "=")
			if ok && files[filepath.Base(p)] == p {
				out[k] = name + "=" + filepath.Join(deps, filepath.Base(p))
			}
		case "--out-dir":
			link := filepath.Join(scratch, "rustc-out")
			if err := os.Symlink(out[k], link); err != nil {
				return nil, "", err
			}
			out[k] = link
		}
	}
	return out, deps, nil
}

// libraryFiles maps the name of each file in the outputs' lib/ to its path;
// the first output with a name wins.
func libraryFiles(outs []string) (map[string]string, error) {
	files := map[string]string{}
	for _, out := range outs {
		entries, err := os.ReadDir(filepath.Join(out, "lib"))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if _, ok := files[e.Name()]; !ok {
				files[e.Name()] = filepath.Join(out, "lib", e.Name())
			}
		}
	}
	return files, nil
}

// identity names one file of the store: its path, size, inode and change
// time. A store path is never written again once valid, but an
// input-addressed one can be collected and built anew with other bytes: the
// new file has another identity.
func identity(path string) (string, os.FileInfo, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", nil, err
	}
	var ino, ctime int64
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		ino, ctime = int64(st.Ino), changeTime(st)
	}
	return fmt.Sprintf("%s %d %d %d", path, fi.Size(), ino, ctime), fi, nil
}

// mirrored is what the index remembers of one name in the mirror: the
// identity of its source, and of the file placed for it, so that a file
// changed or replaced since is placed again.
type mirrored struct {
	Source string `json:"source"`
	Placed string `json:"placed"`
}

// placedIdentity is a mirror file's inode, size and modification time.
func placedIdentity(path string) (string, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return "", err
	}
	var ino uint64
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		ino = uint64(st.Ino)
	}
	return fmt.Sprintf("%d %d %d", ino, fi.Size(), fi.ModTime().UnixNano()), nil
}

// mirror makes dir hold exactly files (name → source path), each a hard link
// to the shared copy in pool. An index remembers each name's source and placed
// file, so an unchanged library costs two stats; the index is the mirror's
// own check (the directory's fingerprint leaves the mirror out).
func mirror(dir, index, pool string, files map[string]string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	had := map[string]mirrored{}
	if b, err := os.ReadFile(index); err == nil {
		json.Unmarshal(b, &had)
	}
	// The index is rewritten at the end: a build that dies half way leaves
	// none, and the next one places every file again.
	os.Remove(index)
	now := make(map[string]mirrored, len(files))
	for name, src := range files {
		id, srcInfo, err := identity(src)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, name)
		if m, ok := had[name]; ok && m.Source == id {
			if placed, err := placedIdentity(dst); err == nil && placed == m.Placed {
				now[name] = m
				continue
			}
		}
		if err := os.Remove(dst); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if err := place(src, srcInfo, dst, pooled(pool, id, name)); err != nil {
			return err
		}
		placed, err := placedIdentity(dst)
		if err != nil {
			return err
		}
		now[name] = mirrored{Source: id, Placed: placed}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if _, ok := now[e.Name()]; !ok {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	b, err := json.Marshal(now)
	if err != nil {
		return err
	}
	return os.WriteFile(index, b, 0o644)
}

// pooled is where the pool keeps the copy of the file with identity id: a
// name that no other file's copy gets, so a copy never changes once written.
func pooled(pool, id, name string) string {
	sum := sha256.Sum256([]byte(id))
	return filepath.Join(pool, hex.EncodeToString(sum[:10])+"-"+name)
}

// place makes dst a hard link to the pool's copy of src at pooled, copying src
// there first if no build did, or if the copy was changed since: a copy has
// its source's size and modification time (the store's), which a write
// changes.
func place(src string, srcInfo os.FileInfo, dst, pooled string) error {
	if fi, err := os.Lstat(pooled); err != nil || fi.Size() != srcInfo.Size() || !fi.ModTime().Equal(srcInfo.ModTime()) {
		if err := copyAtomic(src, pooled); err != nil {
			return copyAtomic(src, dst)
		}
	}
	if err := os.Link(pooled, dst); err != nil {
		return copyAtomic(src, dst)
	}
	return nil
}

// copyAtomic copies src to dst through a temporary file and a rename, so dst
// is never seen half written.
func copyAtomic(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = io.Copy(tmp, in)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), fi.Mode().Perm()|0o200)
	}
	if err == nil {
		err = os.Chtimes(tmp.Name(), fi.ModTime(), fi.ModTime())
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}
