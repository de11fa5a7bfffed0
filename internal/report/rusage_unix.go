//go:build unix

package report

import (
	"runtime"
	"syscall"
)

// peakMemoryMB is this process's peak resident memory (not its children's).
func peakMemoryMB() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return ru.Maxrss >> 20 // bytes there
	}
	return ru.Maxrss >> 10 // KiB on Linux
}
