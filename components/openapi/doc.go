// Package openapi is Backplane's OpenAPI component: it builds the
// application's OpenAPI document at start, from the routes the
// application serves and the Go types they read and return, freezes it,
// and serves it through the REST server as OpenAPI 3.0.3 and 3.1.0.
//
//	app := backplane.New("todo",
//		config.Component(),
//		rest.Component(),
//		openapi.Component(openapi.WithTitle("Todo"), openapi.WithVersion("1.0.0")),
//	)
//
// # Building the document
//
// [Component] binds a [Service] at [ServiceKey] as an observer of the
// "openapi" lifecycle group, which starts after every other group has
// initialized and started, and just before the servers listen: the route
// tables are complete and nothing serves yet. Its Start builds the
// document once:
//
//  1. every describer of the [apidoc.Describers] point (package apidoc's
//     contract: routes and named schemas) adds its description to a
//     [Builder], in the point's order: the REST server ("rest") its
//     routes, each data model its schemas. The descriptions are read as
//     the describers wrote them: [Route] is [apidoc.Route]. Then every
//     [Source] of the [Sources] point changes the builder: package
//     swagbridge merges swag-generated Swagger 2.0 documents that way;
//     [WithSource] adds others. Two describers or sources declaring one
//     operation, one operationId, or two different schemas of one name
//     fail the start, both named;
//  2. the builder derives what a route leaves out — an operationId from
//     the method and path ([DeriveOperationID]: GET /greet/{name} is
//     getGreetByName), a summary from the operationId ([Sentence]), a tag
//     from the first path segment — and adds the error responses the
//     pipeline can answer, pointing at the ErrorEnvelope schema;
//  3. every [Enhancer] of the [Enhancers] point ([WithEnhancer]) changes
//     the whole [Document] in place: security schemes, tag descriptions,
//     x-* keys, conventions enforced by returning an error;
//  4. [Check] looks for problems (operations without ids or summaries,
//     integers without a format, implementation notes in descriptions);
//     they are logged as warnings, or fail the start with [Strict];
//  5. [Freeze] serializes the document once per served form, each with a
//     strong ETag.
//
// The result is a [Spec]: its bytes never change while the process runs,
// and they are the same on every run and every machine — objects in the
// order of the specification, maps with sorted keys, schema properties in
// the order of the Go fields, servers relative to where the document was
// read from ("/") unless [WithServers] says otherwise. A document can
// therefore be committed and reviewed as a diff. The component writes no
// process-wide state; package swagbridge registers the document in swag's
// registry for applications that ask.
//
// # Serving and printing
//
// The component mounts the document on the REST server, through its
// mounts point (rest.Mounts), outside its base path, at [PathJSON] and
// [PathYAML] (3.0.3) and [PathJSON31] (3.1.0); GET and HEAD, with
// If-None-Match answered 304. [WithOutputs] changes the paths and forms;
// the openapi.serve configuration key ([Config]) turns serving off.
//
// The component adds two commands to the application's command line.
// `openapi` (--openapi 3.0|3.1, --format json|yaml, --out FILE)
// initializes the application without listening and prints the bytes the
// server would serve; `routes` prints the operations as a table
// ([PrintRoutes]).
//
// # The model
//
// [Document], [Operation], [Parameter], [RequestBody], [Response] and the
// other types are one version-neutral model of the document; a [Schema]
// is package schema's JSON Schema. [Document.Marshal] writes it in either
// version, spelling the differences (nullable, exclusive bounds,
// examples, a $ref with siblings) the way each version wants.
package openapi
