// Package openapiconn is the OpenAPI connector of the service component
// (LoopBack's loopback-connector-openapi): given an OpenAPI 3.0 or 3.1
// document — a file, a URL fetched when the service opens (the other
// service's own /openapi.json), or a document parsed in code ([Document])
// — every operation with an operationId is callable by that id.
//
//	services:
//	  todos:
//	    connector: openapi
//	    baseURL: http://127.0.0.1:3000   # else the document's first server
//	    spec: /openapi.json              # relative to baseURL, a URL, or a file
//
// Importing the package registers the connector as "openapi".
//
// # Inputs
//
// An operation's input is a struct whose fields are its parameters,
// named by their json tags (path, query and header parameters; a
// parameter serialized as JSON content is sent as JSON text), and a field
// "body" for the JSON request body — or a map[string]any with the same
// keys. Before the request leaves, every value is checked against the
// document's schema: a value the document refuses is a
// service.KindInvalid error and nothing is sent. A required parameter
// must be set (an empty string is not set for a path or a header).
//
// # Typed facades
//
// A facade's Op fields (service.Facade) are checked against the
// document when the service opens: every input field must be a
// parameter, every required parameter must have a field, each field's
// type must fit its parameter's schema, and the output must hold what
// the success response's schema allows (properties the client does not
// read may be left out). Every mismatch is reported at once, with the
// schema keyword and where the document declares the operation.
//
// # Not supported
//
// Cookie parameters, and request bodies or parameters in another media
// type than JSON: a document that has them fails the start naming the
// operation and the construct.
package openapiconn
