// Package unitgraph reads Cargo's unit graph and package metadata into one typed, joined model.
package unitgraph
