// Package samename holds two component packages, billing and shipping,
// whose controllers share the Go type name Controller, as two teams'
// packages would. Tests mount both in one application to check that
// neither replaces the other.
package samename
