// Package todoapp is a small Backplane application for the openapi and
// explorer tests: a todo API described to the openapi component as
// routes and named schemas, the swag-annotated legacy handlers of package
// swagfixture mounted beside it, and an echo server on 127.0.0.1 that
// serves both, the document and the explorer.
//
// It stands where the REST component's server and route table will be,
// so the document's tests run against a real server and real HTTP.
package todoapp
