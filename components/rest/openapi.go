package rest

import (
	"net/http"
	"reflect"
	"strings"

	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/schema"
)

// openapiRoute describes a route for the document: its parameters and
// body from the input struct, its success from the output type, and the
// errors its inputs can cause.
func (s *Server) openapiRoute(rt *Route) openapi.Route {
	out := openapi.Route{
		Method:      rt.Method,
		Path:        s.cfg.BasePath + rt.Path,
		OperationID: rt.OperationID,
		Summary:     rt.Summary,
		Description: rt.Description,
		Tags:        rt.Tags,
		Deprecated:  rt.Deprecated,
		Hidden:      rt.Hidden,
		Success:     openapi.Success{Status: rt.Status},
	}
	if rt.Security != nil {
		out.Security = []openapi.SecurityRequirement{}
		for _, r := range rt.Security {
			out.Security = append(out.Security, openapi.SecurityRequirement(r))
		}
	}
	for _, e := range rt.Errors {
		out.Errors = append(out.Errors, openapi.ErrorResponse{Status: e.Status, Codes: e.Codes})
	}
	if rt.raw {
		return out
	}
	if in := rt.in; in != nil {
		for _, p := range in.params {
			op := &openapi.Parameter{Name: p.name, In: p.in, Description: p.doc, Required: p.required}
			if p.kind == kObject || p.kind == kSelf {
				op.Content = map[string]*openapi.MediaType{"application/json": {Schema: p.schema}}
			} else {
				op.Schema = p.schema
			}
			out.Parameters = append(out.Parameters, op)
		}
		if b := in.body; b != nil {
			out.Errors = append(out.Errors,
				openapi.ErrorResponse{Status: http.StatusBadRequest, Codes: []string{CodeInvalidJSON, CodeMissingParameter}},
				openapi.ErrorResponse{Status: http.StatusRequestEntityTooLarge, Codes: []string{CodeEntityTooLarge}},
				openapi.ErrorResponse{Status: http.StatusUnsupportedMediaType, Codes: []string{CodeUnsupportedMediaType}})
			body := &openapi.Body{Description: b.doc, Schema: b.schema, Optional: !b.required}
			switch b.kind {
			case bodyText:
				body.ContentTypes = []string{"text/plain"}
			case bodyRaw:
				body.ContentTypes = []string{"application/octet-stream"}
			}
			out.Body = body
		}
	}
	if !rt.noContent && rt.outType != nil {
		switch {
		case rt.outSchema != nil:
			out.Success.Schema = rt.outSchema
		case rt.outType.Kind() == reflect.String:
			out.Success.Schema = &schema.Schema{Type: "string"}
			out.Success.ContentType = firstNonEmpty(rt.contentType, "text/plain")
		case rt.outType == bytesType:
			out.Success.Schema = &schema.Schema{Type: "string", Format: "binary"}
			out.Success.ContentType = firstNonEmpty(rt.contentType, "application/octet-stream")
		default:
			sc, err := s.schemas.Of(rt.outType, rt.outVariant)
			if err == nil {
				out.Success.Schema = sc
			}
		}
	}
	if out.Success.Status == 0 {
		out.Success.Status = http.StatusOK
	}
	return out
}

func firstNonEmpty(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}
