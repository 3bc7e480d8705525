// Package suggest finds the names close to a mistyped one, for the "did
// you mean" of Backplane's errors: a missing kernel key, an unknown
// extension ID, an unknown configuration key or section.
//
// It is a leaf: it imports only the standard library and nothing of
// Backplane's, so the kernel (which otherwise imports nothing of ours) may
// use it. Every "did you mean" in the module goes through it, so a typo is
// matched the same way whether it is in a key, an ID or a file.
//
// # Matching
//
// Names are compared folded: lower case, without '-' and '_' (so
// "maxConns", "max_conns" and "MAX-CONNS" are one name). A candidate is
// close when one of these holds:
//
//   - its edit distance from the name (insertions, deletions,
//     substitutions and swaps of neighbours each count one) is at most a
//     third of the name's length (at least one), and less than the longer
//     of the two lengths (a one-letter name does not suggest every other
//     one-letter name);
//   - one is a prefix or a suffix of the other, and the shorter has three
//     letters or more ("greeter" finds "services.greeter").
//
// [Near] returns the closest candidates, best first (smallest distance,
// then alphabetical), so the message is the same on every run.
package suggest
