//go:build !unix

package cache

import "io/fs"

func inode(fs.FileInfo) string { return "" }
