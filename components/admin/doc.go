// Package admin serves an application's diagnostics on a listener of
// its own, never the public one: net/http/pprof under /debug/pprof/ and
// the context's bindings (key, scope, source, type, owner, tags) as JSON
// at /bindings. The listener is 127.0.0.1:6060 unless the "admin"
// section says otherwise ([Config]); an address that is not loopback
// fails the start unless admin.public is true.
package admin
