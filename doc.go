// Package backplane is the Application: a root context of typed bindings,
// the components mounted into it, and the lifecycle that starts and stops
// them.
//
// # Applications
//
//	app := backplane.New("todo",
//		config.Component(),
//		rest.Component(),
//	)
//	app.Controller(&TodoController{})
//	app.Main()
//
// [New] creates the root context (see package kernel) and mounts
// components in order. [App.Start] loads configuration (observers' Init),
// checks that every binding can be wired — without constructing anything,
// so a missing dependency is reported at start, not at the first request
// — then starts observers group by group. [App.Stop] stops them in
// reverse. [App.Run] does both around SIGINT and SIGTERM.
//
// # Components
//
// A [Component] contributes bindings, controllers, observers, extension
// points, extensions, commands and sub-components in Mount. Mount only
// binds: work that touches the outside world belongs in an observer's
// Start. A component's error is returned by Start, named.
//
// # States
//
// Start on a started application does nothing; a concurrent Start waits
// for the first; Start while stopping returns [ErrStopping]; a stopped
// application can start again.
//
// # The command line
//
// [App.Main] gives every application a command line: `serve` (the
// default), `bindings` (the context, with keys, scopes, sources, types and
// tags), `help`; components add theirs ([App.Command]). `--config FILE`
// and `--set path=value` feed the configuration component. Usage and
// configuration errors exit with code 2.
package backplane
