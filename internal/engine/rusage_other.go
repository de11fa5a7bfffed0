//go:build !unix

package engine

func peakMemoryMB() int64 { return 0 }
