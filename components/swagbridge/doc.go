// Package swagbridge is Backplane's bridge to swag (github.com/swaggo/swag)
// for services written before Backplane: echo handlers annotated for
// `swag init` keep their Swagger 2.0 documents, which the bridge converts
// to OpenAPI 3 and merges into the openapi component's document, and
// swag-based tools can read the application's document from swag's
// registry.
//
//	app := backplane.New("todo",
//		config.Component(),
//		rest.Component(),
//		openapi.Component(),
//		swagbridge.Component(swagbridge.Merge("legacy"), swagbridge.RegisterAs("")),
//	)
//	app.Mount(rest.MountEcho("legacy", func(e *echo.Echo, base *echo.Group) { legacy.Register(base) }))
//
// Only applications that mount the component link swag and its parser
// (go/types, golang.org/x/tools), and only those that ask with
// [RegisterAs] write into swag's process-wide registry.
//
// # Merging
//
// [Merge] reads the document that a swag-generated docs package
// registered with swag under its instance name (import the docs package
// for its init); [MergeJSON] takes the bytes of a swagger.json. [Convert]
// turns a Swagger 2.0 document into an openapi.Document: definitions
// become components.schemas, body and formData parameters request
// bodies, consumes/produces content types, basePath is folded into the
// paths, securityDefinitions become security schemes. Merged operations
// must not repeat the application's own: two operations at one method and
// path, or one operationId twice, fail the start with both named.
//
// # Registering
//
// [RegisterAs] registers the frozen OpenAPI 3.0 document, at every start,
// under a name ("" for the application's name): swag.ReadDoc(name)
// returns it. A name that a swag-generated docs package already holds is
// an error. [Register] does the same for any bytes.
package swagbridge
