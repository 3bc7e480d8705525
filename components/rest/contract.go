package rest

import (
	"fmt"

	"github.com/backplane-dev/backplane/components/schema"
)

// Contract is what a document says a route reads, given rather than
// derived from the route's Go types: the schemas its parameters and body
// are validated against, which of them are required, and the media
// types the body may have. Package apifirst declares the operations of a
// given OpenAPI document this way; the Go input type still says where
// each value goes.
//
// Validation is the same as for any route — 400 INVALID_PARAMETER_VALUE
// or MISSING_REQUIRED_PARAMETER, 415, 422 VALIDATION_FAILED in the
// error envelope — with the contract's schemas, compiled once when the
// route is declared. A body is validated as a request ([schema.Request]):
// readOnly properties are refused and not required.
type Contract struct {
	// Schemas resolves the references of the schemas below; the route's
	// Go types are described in it too, not in the server's registry,
	// so they stay out of the documents the server describes. nil: the
	// server's registry.
	Schemas *schema.Registry
	// Params are the parameters the contract declares. A parameter of
	// the input type the contract does not declare keeps its own schema.
	Params []ContractParam
	// Body is the request body; nil keeps the body field's own schema.
	Body *ContractBody
}

// ContractParam is a parameter of a [Contract].
type ContractParam struct {
	In, Name string // "path", "query", "header", "cookie"; headers in any case
	Required bool
	Schema   *schema.Schema
}

// ContractBody is the request body of a [Contract].
type ContractBody struct {
	Required   bool
	Schema     *schema.Schema
	MediaTypes []string // as rest.Consumes; application/json when empty
}

// Given makes the route read its inputs by c (see [Contract]).
func Given(c Contract) RouteOption {
	return func(r *Route) { r.contract = &c }
}

// apply replaces the plan's schemas with the contract's.
func (c *Contract) apply(rt *Route, in *inputPlan, reg *schema.Registry) error {
	for _, cp := range c.Params {
		name := cp.Name
		if cp.In == "header" {
			name = httpHeader(name)
		}
		for i, p := range in.params {
			if p.in != cp.In || p.name != name {
				continue
			}
			q := *p
			q.required = cp.Required || cp.In == "path"
			if cp.Schema != nil {
				q.schema = cp.Schema
				if q.kind != kSelf {
					v, err := schema.CompileFor(cp.Schema, reg, schema.Request)
					if err != nil {
						return fmt.Errorf("%s parameter %q: %w", cp.In, cp.Name, err)
					}
					q.valid = v
				}
			}
			in.params[i] = &q
		}
	}
	if c.Body != nil && in.body != nil {
		b := *in.body
		b.required = c.Body.Required
		if c.Body.Schema != nil && b.kind == bodyJSON {
			v, err := schema.CompileFor(c.Body.Schema, reg, schema.Request)
			if err != nil {
				return fmt.Errorf("request body: %w", err)
			}
			b.schema, b.valid = c.Body.Schema, v
		}
		in.body = &b
		if len(rt.consumes) == 0 {
			rt.consumes = c.Body.MediaTypes
		}
	}
	return nil
}
