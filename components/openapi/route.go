package openapi

import (
	"github.com/backplane-dev/backplane/components/schema"
)

// Route is what a router knows about one of its routes, in the terms the
// document needs. The REST server's route table converts to it; tests and
// other sources can write Routes by hand.
type Route struct {
	Method string // GET, POST, ...
	// Path in OpenAPI template form ("/todos/{id}"), base path included.
	Path        string
	OperationID string // derived from the method and path when empty
	Summary     string // derived from the operationId when empty
	Description string
	Tags        []string
	Parameters  []*Parameter
	Body        *Body // nil: the operation reads no body
	Success     Success
	// Errors are the error responses the operation returns beyond those
	// the builder derives from its parameters and body (see
	// [Builder.AddRoute]); an entry for a derived status adds its codes.
	Errors     []ErrorResponse
	Security   []SecurityRequirement // nil: the document's; empty: public
	Deprecated bool
	// Hidden keeps the route out of the document (health probes, the
	// document itself).
	Hidden bool
}

// Body describes a route's request body.
type Body struct {
	Description string
	Schema      *schema.Schema
	// Required is the default for routes that read a body; set Optional
	// for bodies that may be absent.
	Optional bool
	// ContentTypes the route accepts ("application/json" when empty).
	ContentTypes []string
}

// Success describes a route's success response.
type Success struct {
	Status      int    // 200 when zero; 204 when zero and Schema is nil
	Description string // derived from the status when empty
	Schema      *schema.Schema
	ContentType string // "application/json" when empty
	Headers     map[string]*Header
}

// ErrorResponse is an error status an operation really returns, with the
// machine-readable codes its error envelope can carry.
type ErrorResponse struct {
	Status      int
	Codes       []string // "ENTITY_NOT_FOUND", "VALIDATION_FAILED", ...
	Description string   // derived from the status and codes when empty
}
