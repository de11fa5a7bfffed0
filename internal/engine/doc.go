// Package engine runs a command's stages in order — gather, plan, derive,
// register, build, report — and handles what spans them: the no-op replay, a
// garbage collection between stages, interruption, and the records a build
// leaves for the next run.
package engine
