// Package swagfixture is an existing echo service's handlers, annotated
// for `swag init` the way services built before Backplane are. Its
// generated Swagger 2.0 documents (docs/) are committed; the swagbridge
// component's tests mount these handlers into a Backplane application and
// check that the converted document is merged into the runtime one.
//
// The general API information (title, version, description, base path)
// is the swag annotation block at the top of handlers.go; the operations
// are annotated on each handler. Regenerate docs/ after changing an
// annotation; see README.md for the exact command. A test of the swagbridge
// component (TestSwagFixtureIsCurrent) fails when the committed documents
// are not what swag generates.
package swagfixture
