//go:build !linux

package builder

import "syscall"

// changeTime is a file's status change time where the Stat_t layout is known;
// elsewhere identities rest on path, size and inode.
func changeTime(st *syscall.Stat_t) int64 { return 0 }
