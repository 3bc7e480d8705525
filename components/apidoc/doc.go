// Package apidoc holds the contracts that describe an application's API
// between the components that serve it and those that document it: a
// route's description ([Route]: method, path, operationId, summary, tags,
// parameters with their schemas, body, success, errors, security) and
// contributions of named schemas, gathered by a [Describer].
//
// The REST component writes a route's description once, when it plans
// the route, and publishes its routes as a Describer; the data component
// publishes its models' schemas the same way. The openapi component reads
// every Describer of the extension point [Describers] and builds
// the document from them. Neither side imports the other: both import
// this package, which imports only the standard library, package schema
// and the extension package (for the point), so a server links no document builder and a document builder
// links no server it does not use.
//
// # Publishing
//
// A component publishes a Describer as an extension of [Describers]:
//
//	backplane.Extension(apidoc.Describers, "models.Todo", kernel.Value[apidoc.Describer](apidoc.Schemas(schemas)))
//
// Describers are called once, when the document is built (at start), from
// one goroutine; what they return is read, never changed, by the reader.
package apidoc
