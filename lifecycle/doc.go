// Package lifecycle starts and stops the observers of an application.
//
// # Observers
//
// An observer is any bound value that implements one or more of [Initer],
// [Starter] and [Stopper]; its binding is tagged bindings.TagObserver and
// bindings.TagObserverGroup (see [Tag]). A datasource opens its pool in
// Start; a server listens in Start and drains in Stop.
//
// # Groups and order
//
// Observers belong to groups that start in order — configuration, then
// datasources, then the default group, then any other group by name,
// servers last — and stop in reverse. The order is a binding of the
// application ([GroupOrder]), sorted by the kernel's one ordering of
// groups (kernel.Ordering): group, then rank, then key. Observers inside a
// group start in parallel. Every Init runs before any Start.
//
// An observer is resolved when its group first runs, not before: the
// "config" group's Init has loaded the configuration by the time a later
// group's observer is constructed or initialized, so it can read its
// section.
// The plan is recomputed after each group, so observers bound by an
// earlier group run too.
//
// # Failure and rollback
//
// When a Start fails, the [Manager] stops what had started, in reverse, and
// returns the start error joined with any rollback error. A panic in an
// observer becomes an error naming the observer and where it panicked.
//
// # Shutdown
//
// [Run] starts a [Runnable], waits for SIGINT or SIGTERM (or its context),
// and stops it within a grace period.
//
// # Events
//
// A [Sink] receives an [Event] per observer step with its duration;
// [SlogSink] logs them.
package lifecycle
