package openapi

import "github.com/backplane-dev/backplane/components/apidoc"

// The route descriptions the document is built from are package
// apidoc's, which the REST component fills when it plans a route: these
// names are the same types, so a description is never copied into
// another shape.
type (
	// Route is a route's description ([apidoc.Route]).
	Route = apidoc.Route
	// Parameter is a path, query, header or cookie parameter
	// ([apidoc.Parameter]).
	Parameter = apidoc.Parameter
	// MediaType is the schema and example of one content type.
	MediaType = apidoc.MediaType
	// Body describes a route's request body.
	Body = apidoc.Body
	// Success describes a route's success response.
	Success = apidoc.Success
	// Header is a response header.
	Header = apidoc.Header
	// ErrorResponse is an error status an operation really returns.
	ErrorResponse = apidoc.ErrorResponse
	// SecurityRequirement maps scheme names to required scopes.
	SecurityRequirement = apidoc.SecurityRequirement
)
