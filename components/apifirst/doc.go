// Package apifirst serves an OpenAPI document written first — designed,
// reviewed and committed as YAML or JSON — as the source of truth of an
// application's API, without generating code: Go handlers are bound to
// its operations by operationId, and requests are validated against the
// document's own schemas.
//
//	//go:embed openapi.yaml
//	var spec embed.FS
//
//	app := backplane.New("pets",
//		config.Component(),
//		rest.Component(),
//		openapi.Component(),
//		apifirst.Component(apifirst.FS(spec, "openapi.yaml")),
//		backplane.Controller(&PetController{}),
//	)
//
//	type PetController struct {
//		API *apifirst.API `inject:"apifirst.api"`
//	}
//
//	func (c *PetController) Routes(r *rest.Router) {
//		apifirst.Handle(r, c.API, "listPets", c.List)
//		apifirst.Handle(r, c.API, "createPet", c.Create)
//	}
//
// # The document
//
// [Component] reads the document (OpenAPI 3.0 or 3.1, with
// openapi.Parse) when it is mounted; a document that cannot be served —
// malformed, an unresolved $ref, schemas that only refer to each other,
// duplicate operationIds, templates that match the same requests — fails
// there, every problem with its line and column. It contributes the
// document to the openapi component as a source (openapi.Sources), so
// the served document is the given one — info, servers, tags, paths,
// components as written, LoopBack's x-controller-name and
// x-operation-name kept — plus the routes other components and
// code-first controllers declare, deterministic like any document the
// component serves.
//
// # Binding handlers
//
// A controller binds each operation with [Handle], by operationId or by
// LoopBack's "<x-controller-name>.<x-operation-name>", so that a
// LoopBack 4 api-first spec (app.api(spec)) moves over unchanged. The
// handler is an ordinary typed REST handler: its input struct says where
// each value goes (path, query, header, cookie, body tags), its output
// is the success response. The route's schemas are the document's
// (rest.Given): a bad parameter is 400 INVALID_PARAMETER_VALUE, a missing
// one MISSING_REQUIRED_PARAMETER, a body of another media type 415, a
// body that breaks its schema 422 VALIDATION_FAILED with details — $ref,
// formats, readOnly and writeOnly, nullable and type lists,
// oneOf/anyOf/allOf and discriminator included.
//
// # Checked at start
//
// Nothing is left to the first request. When the server declares its
// routes, [Handle] compares the handler's types with the operation
// (schema.Fits): a required parameter without a field, a field for a
// parameter the operation does not declare, a field whose type cannot
// hold the schema's values (an int64 for a "number"), a body type that
// would lose a required property, a response type that cannot produce
// one (no field, or omitempty), rest.NoContent for a response with a
// body. Each fails the start with the operation, the JSON pointer and
// line of the schema, and the Go field. Then every operation must have a
// handler: those named by [Unimplemented] (or all, with
// [AllowUnimplemented]) answer 501 NOT_IMPLEMENTED; any other fails the
// start, listed with where the document declares it.
//
// # Responses in development
//
// With the configuration apifirst.responses set to "log", every response
// of a bound operation is checked against its document (writeOnly
// properties refused, readOnly ones allowed) and one that breaks the
// contract is logged with each problem; an error status the operation
// does not list is logged too. "fail" also answers 500
// RESPONSE_CONTRACT in its stead, for tests. The default, "off", costs
// nothing.
package apifirst
