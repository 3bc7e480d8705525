package rest

import (
	"net/http"
	"reflect"
	"strings"

	"github.com/backplane-dev/backplane/components/apidoc"
	"github.com/backplane-dev/backplane/components/schema"
)

// describe completes the route's description from its plan, once, when
// the route is declared: its parameters and body from the input struct,
// its success schema from the output type, and the errors its body can
// cause. An output type that has no schema is an error.
func (rt *Route) describe(reg *schema.Registry) error {
	if in := rt.in; in != nil {
		for _, p := range in.params {
			d := &apidoc.Parameter{Name: p.name, In: p.in, Description: p.doc, Required: p.required}
			if p.kind == kObject || p.kind == kSelf {
				d.Content = map[string]*apidoc.MediaType{"application/json": {Schema: p.schema}}
			} else {
				d.Schema = p.schema
			}
			rt.Parameters = append(rt.Parameters, d)
		}
		if b := in.body; b != nil {
			rt.Errors = append(rt.Errors,
				apidoc.ErrorResponse{Status: http.StatusBadRequest, Codes: []string{CodeInvalidJSON, CodeMissingParameter}},
				apidoc.ErrorResponse{Status: http.StatusRequestEntityTooLarge, Codes: []string{CodeEntityTooLarge}},
				apidoc.ErrorResponse{Status: http.StatusUnsupportedMediaType, Codes: []string{CodeUnsupportedMediaType}})
			body := &apidoc.Body{Description: b.doc, Schema: b.schema, Optional: !b.required}
			switch b.kind {
			case bodyText:
				body.ContentTypes = []string{"text/plain"}
			case bodyRaw:
				body.ContentTypes = []string{"application/octet-stream"}
			default:
				body.ContentTypes = b.accepts
			}
			rt.Body = body
		}
	}
	if rt.noContent || rt.outType == nil {
		return nil
	}
	switch {
	case rt.outSchema != nil:
		rt.Success.Schema = rt.outSchema
	case rt.outType.Kind() == reflect.String:
		rt.Success.Schema = &schema.Schema{Type: "string"}
		rt.Success.ContentType = firstNonEmpty(rt.contentType, "text/plain")
	case rt.outType == bytesType:
		rt.Success.Schema = &schema.Schema{Type: "string", Format: "binary"}
		rt.Success.ContentType = firstNonEmpty(rt.contentType, "application/octet-stream")
	default:
		sc, err := reg.Of(rt.outType, rt.outVariant)
		if err != nil && rt.outType.Kind() != reflect.Interface {
			return err
		}
		// An interface output that has no schema is any value: the
		// document says nothing of its shape.
		rt.Success.Schema = sc
	}
	return nil
}

func firstNonEmpty(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}
