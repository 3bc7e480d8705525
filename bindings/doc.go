// Package bindings is the shared vocabulary of Backplane: the well-known
// keys, tags and group names through which components find each other in
// the context without importing each other.
//
// # Keys
//
// Keys name values every application has (its name, logger, command-line
// configuration flags). Components export their own keys from their own
// packages; only keys that several layers share live here.
//
// # Tags
//
// Tags mark what a binding is for: a controller, a lifecycle observer and
// its group, an extension and its point, a configuration section.
//
// # Lifecycle groups
//
// Observers start group by group: configuration first, then datasources,
// then everything else, servers last; they stop in the reverse order. The
// order is a binding of each application (lifecycle.GroupOrder).
package bindings
