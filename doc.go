// Package backplane is the Application: a root context of typed bindings,
// the components mounted into it, and the lifecycle that starts and stops
// them.
//
// # Applications
//
//	app := backplane.New("todo",
//		config.Component(),
//		rest.Component(),
//		backplane.Provide(ClockKey, kernel.Value[Clock](systemClock{})),
//		backplane.Controller(&TodoController{}),
//	)
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
// Everything added to an application is a [Component], passed to [New] or
// [App.Mount]: a reusable unit (rest.Component()) or one contribution —
// [Provide] (a binding), [Controller], [Observer], [Point] (an extension
// point), [Extension], [Requires] and [RequiresPoint] (what a component
// needs). A component's Mount adds its own parts the same way, with
// app.Mount(...). Mount only binds: work that touches the outside world
// belongs in an observer's Start. A component's error is returned by
// Start, named.
//
// # Composition mistakes fail the start
//
//   - A key bound by two components (or two lines) fails the start naming
//     both, unless the second binding says kernel.Override(): bindings
//     made while a component mounts are owned by it.
//   - A component mounted twice is one mount when it is the same value,
//     and an error naming both mounts otherwise — never a silent
//     replacement of the first one's settings.
//   - A requirement ([Requires], [RequiresPoint]) that no mounted
//     component meets fails the start, whatever the mount order.
//   - Controller keys carry the import path
//     ("controllers.example.com/shop/api.ItemController"), so two
//     packages' controllers of one type name both serve.
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
