// Package fxhost lets go.uber.org/fx host a Backplane application.
//
// # Running an application as an fx hook
//
// [Module] appends one fx lifecycle hook that starts the application on
// fx's OnStart and stops it on OnStop, so a service built around fx keeps
// its own main and still gets Backplane's components.
//
// # From fx to Backplane
//
// Values fx constructs become bindings: [Contribute] adds a value of the fx
// graph to the "backplane.bindings" value group with a key and tags, and
// [Module] binds every member of the group before the application starts.
//
// # From Backplane to fx
//
// [Supply] provides a binding's value to the fx graph, resolved when an fx
// constructor first asks for it.
package fxhost
