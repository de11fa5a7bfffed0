// Package outputs asks the store which derivations already have their output: valid
// for input-addressed ones, realised and valid for content-addressed ones.
package outputs
