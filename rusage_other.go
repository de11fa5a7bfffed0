//go:build !unix

package main

func peakMemoryMB() int64 { return 0 }
