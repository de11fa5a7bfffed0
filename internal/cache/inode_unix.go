//go:build unix

package cache

import (
	"io/fs"
	"strconv"
	"syscall"
)

// inode tells a replaced file (same size and mtime, new inode) from the old one.
func inode(fi fs.FileInfo) string {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return strconv.FormatUint(uint64(st.Ino), 10)
	}
	return ""
}
