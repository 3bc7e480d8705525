package openapi

import (
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/backplane-dev/backplane/components/schema"
)

// Schema is the JSON Schema model of package schema, the one the REST
// component validates with.
type Schema = schema.Schema

// Document is an OpenAPI document, version-neutral: the same value is
// written as OpenAPI 3.0.3 or 3.1.0 by [Document.Marshal]. Spec enhancers
// receive it and change it in place before it is frozen.
//
// Maps are written with sorted keys (paths, responses by status, component
// names) and objects in the order of the OpenAPI specification, so the
// same Document always gives the same bytes.
type Document struct {
	Info         Info
	Servers      []Server
	Tags         []Tag
	Paths        map[string]*PathItem
	Components   Components
	Security     []SecurityRequirement
	ExternalDocs *ExternalDocs
	Extensions   map[string]any // x-* keys at the root
}

// Info is the document's info object.
type Info struct {
	Title          string
	Summary        string // written in 3.1 only
	Description    string
	TermsOfService string
	Contact        *Contact
	License        *License
	Version        string
	Extensions     map[string]any
}

// Contact is the API's contact information.
type Contact struct {
	Name, URL, Email string
}

// License is the API's license. Identifier (an SPDX expression) is
// written in 3.1 only; 3.0 documents need a URL for tools to link it.
type License struct {
	Name       string
	URL        string
	Identifier string
}

// Server is one entry of the document's servers list.
type Server struct {
	URL         string
	Description string
	Variables   map[string]ServerVariable
}

// ServerVariable is a variable of a server URL template.
type ServerVariable struct {
	Enum        []string
	Default     string
	Description string
}

// Tag describes an operation tag.
type Tag struct {
	Name         string
	Description  string
	ExternalDocs *ExternalDocs
}

// ExternalDocs points to documentation outside the document.
type ExternalDocs struct {
	Description string
	URL         string
}

// PathItem holds the operations of one path.
type PathItem struct {
	Summary     string
	Description string
	Get         *Operation
	Put         *Operation
	Post        *Operation
	Delete      *Operation
	Options     *Operation
	Head        *Operation
	Patch       *Operation
	Trace       *Operation
	Parameters  []*Parameter
}

// Methods lists the HTTP methods a PathItem can hold, in the order the
// specification lists them (and the order they are written).
var Methods = []string{
	http.MethodGet, http.MethodPut, http.MethodPost, http.MethodDelete,
	http.MethodOptions, http.MethodHead, http.MethodPatch, http.MethodTrace,
}

func (p *PathItem) slot(method string) **Operation {
	switch strings.ToUpper(method) {
	case http.MethodGet:
		return &p.Get
	case http.MethodPut:
		return &p.Put
	case http.MethodPost:
		return &p.Post
	case http.MethodDelete:
		return &p.Delete
	case http.MethodOptions:
		return &p.Options
	case http.MethodHead:
		return &p.Head
	case http.MethodPatch:
		return &p.Patch
	case http.MethodTrace:
		return &p.Trace
	}
	return nil
}

// Operation returns the operation for method (any case), or nil.
func (p *PathItem) Operation(method string) *Operation {
	if s := p.slot(method); s != nil {
		return *s
	}
	return nil
}

// SetOperation sets the operation for method. It reports false for a
// method OpenAPI cannot describe (CONNECT, custom methods).
func (p *PathItem) SetOperation(method string, op *Operation) bool {
	s := p.slot(method)
	if s == nil {
		return false
	}
	*s = op
	return true
}

// Operation is one API operation.
type Operation struct {
	Tags        []string
	Summary     string
	Description string
	OperationID string
	Parameters  []*Parameter
	RequestBody *RequestBody
	// Responses by status code ("200", "404", "4XX", "default").
	Responses  map[string]*Response
	Deprecated bool
	// Security: nil inherits the document's; a non-nil empty slice
	// declares the operation public.
	Security     []SecurityRequirement
	ExternalDocs *ExternalDocs
	Extensions   map[string]any
}

// RequestBody is an operation's request body.
type RequestBody struct {
	Ref         string
	Description string
	Required    bool
	Content     map[string]*MediaType
	Extensions  map[string]any
}

// Response is one response of an operation. Ref, when set, makes it a
// reference ("#/components/responses/X" or just "X").
type Response struct {
	Ref         string
	Description string
	Headers     map[string]*Header
	Content     map[string]*MediaType
	Extensions  map[string]any
}

// Components holds the document's reusable objects.
type Components struct {
	Schemas         map[string]*schema.Schema
	Responses       map[string]*Response
	Parameters      map[string]*Parameter
	RequestBodies   map[string]*RequestBody
	Headers         map[string]*Header
	SecuritySchemes map[string]*SecurityScheme
}

// SecurityScheme is a security scheme ("http" bearer, "apiKey",
// "oauth2", "openIdConnect").
type SecurityScheme struct {
	Type             string // "http", "apiKey", "oauth2", "openIdConnect", "mutualTLS" (3.1)
	Description      string
	Name             string // apiKey
	In               string // apiKey: "query", "header", "cookie"
	Scheme           string // http: "bearer", "basic"
	BearerFormat     string // http bearer
	Flows            *OAuthFlows
	OpenIDConnectURL string
}

// OAuthFlows lists the OAuth2 flows of a scheme.
type OAuthFlows struct {
	Implicit          *OAuthFlow
	Password          *OAuthFlow
	ClientCredentials *OAuthFlow
	AuthorizationCode *OAuthFlow
}

// OAuthFlow is one OAuth2 flow.
type OAuthFlow struct {
	AuthorizationURL string
	TokenURL         string
	RefreshURL       string
	Scopes           map[string]string
}

// Operation returns the operation at method and path, or nil.
func (d *Document) Operation(method, path string) *Operation {
	if p := d.Paths[path]; p != nil {
		return p.Operation(method)
	}
	return nil
}

// Operations calls fn for every operation, by path then in [Methods]
// order, so iteration is deterministic.
func (d *Document) Operations(fn func(method, path string, op *Operation)) {
	for _, path := range slices.Sorted(maps.Keys(d.Paths)) {
		item := d.Paths[path]
		for _, m := range Methods {
			if op := item.Operation(m); op != nil {
				fn(m, path, op)
			}
		}
	}
}

// AddSchema adds a named schema to components.schemas and returns a
// reference to it. It replaces a schema of the same name.
func (d *Document) AddSchema(name string, s *schema.Schema) *schema.Schema {
	if d.Components.Schemas == nil {
		d.Components.Schemas = map[string]*schema.Schema{}
	}
	d.Components.Schemas[name] = s
	return Ref(name)
}

// AddSecurityScheme adds a security scheme to components.securitySchemes.
func (d *Document) AddSecurityScheme(name string, s *SecurityScheme) {
	if d.Components.SecuritySchemes == nil {
		d.Components.SecuritySchemes = map[string]*SecurityScheme{}
	}
	d.Components.SecuritySchemes[name] = s
}

// Ref returns a schema that references components.schemas[name].
func Ref(name string) *schema.Schema {
	return &schema.Schema{Ref: SchemaRefPrefix + name}
}

// SchemaRefPrefix is the prefix of a reference to a named schema.
const SchemaRefPrefix = "#/components/schemas/"

// refTarget returns the full reference for a component of kind
// ("schemas", "responses", ...), accepting a bare name.
func refTarget(kind, ref string) string {
	if strings.HasPrefix(ref, "#") || strings.Contains(ref, "/") {
		return ref
	}
	return "#/components/" + kind + "/" + ref
}
