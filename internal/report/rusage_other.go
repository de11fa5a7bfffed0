//go:build !unix

package report

func peakMemoryMB() int64 { return 0 }
