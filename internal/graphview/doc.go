// Package graphview renders a plan's unit graph for people and tools: Graphviz DOT,
// versioned JSON, a terminal summary, and `--why` explanations. It does no I/O beyond
// the writer it is given: callers supply derivation paths and store status.
package graphview
