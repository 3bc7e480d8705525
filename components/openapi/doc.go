// Package openapi is Backplane's OpenAPI component: it builds the
// application's OpenAPI document at start, from the routes the
// application serves and the Go types they read and return, freezes it,
// and gives it to the REST server to serve as OpenAPI 3.0.3 and 3.1.0.
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
//  1. every [Source] bound to the [Sources] extension point contributes
//     operations and named schemas to a [Builder], in the point's order.
//     The REST server is one, named "rest"; [MergeSwag] and
//     [MergeSwagger] add a swag-generated Swagger 2.0 document, converted
//     by [ConvertSwagger2]; [WithSource] and [RoutesSource] add anything
//     else. Two sources declaring one operation, one operationId, or two
//     different schemas of one name fail the start, both named;
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
// therefore be committed and reviewed as a diff. The 3.0 form is also
// registered in swag's registry under the application's name
// ([WithSwagName]), for swag-based tools.
//
// # Serving and printing
//
// The REST server serves the document, outside its base path, at
// [PathJSON] and [PathYAML] (3.0.3) and [PathJSON31] (3.1.0); GET and
// HEAD, with If-None-Match answered 304. [WithOutputs] changes the paths
// and forms; the rest.openApi configuration key turns serving off.
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
