//go:build !unix

package noop

import "io/fs"

func inode(fs.FileInfo) string { return "" }
