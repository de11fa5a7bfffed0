//go:build !unix

package source

import "io/fs"

func inode(fs.FileInfo) string { return "" }
