package apidoc

import (
	"context"

	"github.com/backplane-dev/backplane/components/schema"
	"github.com/backplane-dev/backplane/extension"
)

// Describers is the extension point ("apidoc.describers") of every
// [Describer] in an application: REST publishes its routes there, data
// its models' schemas, and the openapi component reads them all. It is
// declared here, once, so that publishers and readers share one typed
// point without importing each other.
var Describers = extension.Point[Describer]("apidoc.describers")

// Describer describes a part of the application's API: the routes it
// serves and the named schemas they refer to.
type Describer interface {
	DescribeAPI(ctx context.Context) (*API, error)
}

// DescriberFunc adapts a function to a [Describer].
type DescriberFunc func(ctx context.Context) (*API, error)

// DescribeAPI calls f.
func (f DescriberFunc) DescribeAPI(ctx context.Context) (*API, error) { return f(ctx) }

// Schemas is a Describer that contributes named schemas and no routes:
// the schemas of data models, of filters, of anything routes refer to by
// name.
type Schemas map[string]*schema.Schema

// DescribeAPI returns the schemas.
func (s Schemas) DescribeAPI(context.Context) (*API, error) { return &API{Schemas: s}, nil }

var (
	_ Describer = DescriberFunc(nil)
	_ Describer = Schemas(nil)
)

// API is a part of an application's API.
type API struct {
	Routes []Route
	// Schemas by name; routes refer to them with a $ref to
	// "#/components/schemas/<name>".
	Schemas map[string]*schema.Schema
	// SecuritySchemes by name: how the routes' Security requirements
	// authenticate (the authentication component's strategies describe
	// theirs). Operations name them in their security requirements.
	SecuritySchemes map[string]*SecurityScheme
}

// SecurityScheme describes how a client authenticates, in the terms of
// an OpenAPI security scheme: "http" with Scheme "bearer" or "basic",
// or "apiKey" with Name and In ("header", "query", "cookie").
type SecurityScheme struct {
	Type         string
	Description  string
	Name         string // apiKey: the header, query parameter or cookie
	In           string // apiKey: "header", "query", "cookie"
	Scheme       string // http: "bearer", "basic"
	BearerFormat string // http bearer: "JWT"
}

// Route is what a server knows about one of its routes, in the terms a
// document needs.
type Route struct {
	Method string // GET, POST, ...
	// Path in OpenAPI template form ("/todos/{id}"). A server's description
	// includes its base path.
	Path        string
	OperationID string // derived from the method and path when empty
	Summary     string // derived from the operationId when empty
	Description string
	Tags        []string
	Parameters  []*Parameter
	Body        *Body // nil: the operation reads no body
	Success     Success
	// Errors are the error responses the operation returns beyond those a
	// document derives from its parameters and body; an entry for a
	// derived status adds its codes.
	Errors     []ErrorResponse
	Security   []SecurityRequirement // nil: the document's; empty: public
	Deprecated bool
	// Hidden keeps the route out of the document (health probes, the
	// document itself).
	Hidden bool
}

// Parameter is a path, query, header or cookie parameter. Ref, when set,
// makes it a reference to a named parameter ("#/components/parameters/X"
// or just "X") and the other fields are ignored.
type Parameter struct {
	Ref         string
	Name        string
	In          string // "path", "query", "header", "cookie"
	Description string
	Required    bool
	Deprecated  bool
	Style       string
	Explode     *bool
	Schema      *schema.Schema
	// Content replaces Schema for parameters serialized as a media type
	// (a JSON-encoded query parameter: "application/json").
	Content map[string]*MediaType
	Example any
}

// MediaType is the schema and example of one content type.
type MediaType struct {
	Schema  *schema.Schema
	Example any
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

// Header is a response header.
type Header struct {
	Description string
	Required    bool
	Schema      *schema.Schema
}

// ErrorResponse is an error status a route really returns, with the
// machine-readable codes its error envelope can carry.
type ErrorResponse struct {
	Status      int
	Codes       []string // "ENTITY_NOT_FOUND", "VALIDATION_FAILED", ...
	Description string   // derived from the status and codes when empty
}

// SecurityRequirement maps security scheme names to the scopes required.
type SecurityRequirement map[string][]string
