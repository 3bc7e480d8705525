// Package backplanetest starts Backplane applications inside Go tests, the
// way net/http/httptest starts servers: the application starts before the
// test body, stops on cleanup, and a wiring or start error fails the test
// at once with the full diagnostic.
//
// # Usage
//
//	func TestTodo(t *testing.T) {
//		app := backplanetest.Start(t, todo.New())
//		repo := backplanetest.Resolve(t, app, todo.RepoKey)
//		...
//	}
//
// [Start] runs [backplane.App.Start] — configuration, the wiring check,
// every observer's Init and Start — and registers [backplane.App.Stop]
// with tb.Cleanup, so the application stops when the test (or subtest)
// ends, after the cleanups registered later. [New] builds the
// application from components and starts it in one call. [Resolve]
// reads a binding of the started application by its typed key.
//
// Every failure is reported through the testing.TB: a start error (a
// component that failed to mount, a missing binding, an observer's Init
// or Start) is a Fatalf naming the application, a stop error an Errorf.
// [StartTimeout] and [StopTimeout] bound the two.
//
// For applications that serve HTTP, package
// github.com/backplane-dev/backplane/components/rest/resttest starts them
// on a free port and gives the test a client.
package backplanetest
