// Package oracle holds the flag oracle, a test only: Cargo builds a workspace
// with -vv, which prints every rustc and build-script command with the
// environment Cargo set for it; the tool gathers and plans the same workspace;
// the two must agree unit by unit once paths and hashes are normalised, except
// for the differences listed in allow_test.go, each with its reason.
package oracle
