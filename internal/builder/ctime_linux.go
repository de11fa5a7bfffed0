package builder

import "syscall"

// changeTime is a file's status change time: a file created anew at the same
// path, even with the same inode number, has another.
func changeTime(st *syscall.Stat_t) int64 { return st.Ctim.Nano() }
