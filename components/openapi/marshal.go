package openapi

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Version is an OpenAPI version the document can be written as.
type Version string

const (
	// V30 is OpenAPI 3.0.3, the version most tools read; served at
	// /openapi.json and /openapi.yaml.
	V30 Version = "3.0.3"
	// V31 is OpenAPI 3.1.0 (JSON Schema 2020-12 schemas); served at
	// /openapi-3.1.json.
	V31 Version = "3.1.0"
)

// Format is a serialization of the document.
type Format string

const (
	JSON Format = "json"
	YAML Format = "yaml"
)

// Marshal writes the document as OpenAPI version v in format f. The same
// Document always gives the same bytes: objects follow the
// specification's field order, maps are sorted, schema properties keep
// their declaration order.
func (d *Document) Marshal(v Version, f Format) ([]byte, error) {
	if v != V30 && v != V31 {
		return nil, fmt.Errorf("openapi: unknown version %q (want %q or %q)", v, V30, V31)
	}
	t := d.tree(v)
	var buf bytes.Buffer
	switch f {
	case JSON, "":
		writeJSON(&buf, t, 0)
		buf.WriteByte('\n')
	case YAML:
		if err := writeYAML(&buf, t); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("openapi: unknown format %q (want %q or %q)", f, JSON, YAML)
	}
	return buf.Bytes(), nil
}

func (d *Document) tree(v Version) *obj {
	w := &writer{v: v}
	o := &obj{}
	o.put("openapi", string(v))
	o.put("info", w.info(&d.Info))
	if v == V31 {
		o.put("jsonSchemaDialect", "https://spec.openapis.org/oas/3.1/dialect/base")
	}
	var servers []any
	for _, s := range d.Servers {
		servers = append(servers, w.server(s))
	}
	o.set("servers", servers)
	var tags []any
	for _, t := range d.Tags {
		to := &obj{}
		to.put("name", t.Name)
		to.set("description", t.Description)
		to.set("externalDocs", w.externalDocs(t.ExternalDocs))
		tags = append(tags, to)
	}
	o.set("tags", tags)
	paths := &obj{}
	for _, p := range slices.Sorted(maps.Keys(d.Paths)) {
		paths.put(p, w.pathItem(d.Paths[p]))
	}
	o.put("paths", paths)
	o.set("components", w.components(&d.Components))
	if d.Security != nil {
		o.put("security", w.security(d.Security))
	}
	o.set("externalDocs", w.externalDocs(d.ExternalDocs))
	o.extensions(d.Extensions)
	return o
}

type writer struct{ v Version }

func (w *writer) info(i *Info) *obj {
	o := &obj{}
	o.put("title", i.Title)
	if w.v == V31 {
		o.set("summary", i.Summary)
	}
	o.set("description", i.Description)
	o.set("termsOfService", i.TermsOfService)
	if c := i.Contact; c != nil {
		co := &obj{}
		co.set("name", c.Name)
		co.set("url", c.URL)
		co.set("email", c.Email)
		o.put("contact", co)
	}
	if l := i.License; l != nil {
		lo := &obj{}
		lo.put("name", l.Name)
		if w.v == V31 && l.Identifier != "" && l.URL == "" {
			lo.put("identifier", l.Identifier)
		}
		lo.set("url", l.URL)
		o.put("license", lo)
	}
	o.put("version", i.Version)
	o.extensions(i.Extensions)
	return o
}

func (w *writer) server(s Server) *obj {
	o := &obj{}
	o.put("url", s.URL)
	o.set("description", s.Description)
	if len(s.Variables) > 0 {
		vars := &obj{}
		for _, name := range slices.Sorted(maps.Keys(s.Variables)) {
			sv := s.Variables[name]
			vo := &obj{}
			vo.set("enum", sv.Enum)
			vo.put("default", sv.Default)
			vo.set("description", sv.Description)
			vars.put(name, vo)
		}
		o.put("variables", vars)
	}
	return o
}

func (w *writer) externalDocs(e *ExternalDocs) *obj {
	if e == nil {
		return nil
	}
	o := &obj{}
	o.set("description", e.Description)
	o.put("url", e.URL)
	return o
}

func (w *writer) pathItem(p *PathItem) *obj {
	o := &obj{}
	if p == nil {
		return o
	}
	o.set("summary", p.Summary)
	o.set("description", p.Description)
	for _, m := range Methods {
		if op := p.Operation(m); op != nil {
			o.put(strings.ToLower(m), w.operation(op))
		}
	}
	o.set("parameters", w.parameters(p.Parameters))
	return o
}

func (w *writer) operation(op *Operation) *obj {
	o := &obj{}
	o.set("tags", op.Tags)
	o.set("summary", op.Summary)
	o.set("description", op.Description)
	o.set("externalDocs", w.externalDocs(op.ExternalDocs))
	o.set("operationId", op.OperationID)
	o.set("parameters", w.parameters(op.Parameters))
	if op.RequestBody != nil {
		o.put("requestBody", w.requestBody(op.RequestBody))
	}
	responses := &obj{}
	for _, code := range sortedStatuses(op.Responses) {
		responses.put(code, w.response(op.Responses[code]))
	}
	o.put("responses", responses)
	o.set("deprecated", op.Deprecated)
	if op.Security != nil {
		o.put("security", w.security(op.Security))
	}
	o.extensions(op.Extensions)
	return o
}

// sortedStatuses orders response keys numerically ("200" < "404" <
// "4XX" < "default").
func sortedStatuses[V any](m map[string]V) []string {
	keys := slices.Sorted(maps.Keys(m))
	rank := func(k string) string {
		if k == "default" {
			return "9999"
		}
		return strings.ReplaceAll(strings.ToUpper(k), "X", "9")
	}
	slices.SortStableFunc(keys, func(a, b string) int { return strings.Compare(rank(a), rank(b)) })
	return keys
}

func (w *writer) parameters(ps []*Parameter) []any {
	var out []any
	for _, p := range ps {
		if p == nil {
			continue
		}
		out = append(out, w.parameter(p))
	}
	return out
}

func (w *writer) parameter(p *Parameter) *obj {
	o := &obj{}
	if p.Ref != "" {
		o.put("$ref", refTarget("parameters", p.Ref))
		return o
	}
	o.put("name", p.Name)
	o.put("in", p.In)
	o.set("description", p.Description)
	o.set("required", p.Required || p.In == "path")
	o.set("deprecated", p.Deprecated)
	o.set("style", p.Style)
	if p.Explode != nil {
		o.put("explode", *p.Explode)
	}
	if p.Schema != nil {
		o.put("schema", w.schema(p.Schema))
	}
	o.set("content", w.content(p.Content))
	if p.Example != nil {
		o.put("example", plain(p.Example))
	}
	return o
}

func (w *writer) requestBody(b *RequestBody) *obj {
	o := &obj{}
	if b.Ref != "" {
		o.put("$ref", refTarget("requestBodies", b.Ref))
		return o
	}
	o.set("description", b.Description)
	o.put("content", w.content(b.Content))
	o.set("required", b.Required)
	o.extensions(b.Extensions)
	return o
}

func (w *writer) content(c map[string]*MediaType) *obj {
	if len(c) == 0 {
		return nil
	}
	o := &obj{}
	for _, ct := range slices.Sorted(maps.Keys(c)) {
		m := c[ct]
		mo := &obj{}
		if m != nil && m.Schema != nil {
			mo.put("schema", w.schema(m.Schema))
		}
		if m != nil && m.Example != nil {
			mo.put("example", plain(m.Example))
		}
		o.put(ct, mo)
	}
	return o
}

func (w *writer) response(r *Response) *obj {
	o := &obj{}
	if r == nil {
		o.put("description", "")
		return o
	}
	if r.Ref != "" {
		o.put("$ref", refTarget("responses", r.Ref))
		return o
	}
	o.put("description", r.Description)
	if len(r.Headers) > 0 {
		h := &obj{}
		for _, name := range slices.Sorted(maps.Keys(r.Headers)) {
			h.put(name, w.header(r.Headers[name]))
		}
		o.put("headers", h)
	}
	o.set("content", w.content(r.Content))
	o.extensions(r.Extensions)
	return o
}

func (w *writer) header(h *Header) *obj {
	o := &obj{}
	if h == nil {
		return o
	}
	o.set("description", h.Description)
	o.set("required", h.Required)
	if h.Schema != nil {
		o.put("schema", w.schema(h.Schema))
	}
	return o
}

func (w *writer) components(c *Components) *obj {
	o := &obj{}
	if len(c.Schemas) > 0 {
		s := &obj{}
		for _, name := range slices.Sorted(maps.Keys(c.Schemas)) {
			s.put(name, w.schema(c.Schemas[name]))
		}
		o.put("schemas", s)
	}
	if len(c.Responses) > 0 {
		s := &obj{}
		for _, name := range slices.Sorted(maps.Keys(c.Responses)) {
			s.put(name, w.response(c.Responses[name]))
		}
		o.put("responses", s)
	}
	if len(c.Parameters) > 0 {
		s := &obj{}
		for _, name := range slices.Sorted(maps.Keys(c.Parameters)) {
			s.put(name, w.parameter(c.Parameters[name]))
		}
		o.put("parameters", s)
	}
	if len(c.RequestBodies) > 0 {
		s := &obj{}
		for _, name := range slices.Sorted(maps.Keys(c.RequestBodies)) {
			s.put(name, w.requestBody(c.RequestBodies[name]))
		}
		o.put("requestBodies", s)
	}
	if len(c.Headers) > 0 {
		s := &obj{}
		for _, name := range slices.Sorted(maps.Keys(c.Headers)) {
			s.put(name, w.header(c.Headers[name]))
		}
		o.put("headers", s)
	}
	if len(c.SecuritySchemes) > 0 {
		s := &obj{}
		for _, name := range slices.Sorted(maps.Keys(c.SecuritySchemes)) {
			s.put(name, w.securityScheme(c.SecuritySchemes[name]))
		}
		o.put("securitySchemes", s)
	}
	return o
}

func (w *writer) securityScheme(s *SecurityScheme) *obj {
	o := &obj{}
	if s == nil {
		return o
	}
	o.put("type", s.Type)
	o.set("description", s.Description)
	o.set("name", s.Name)
	o.set("in", s.In)
	o.set("scheme", s.Scheme)
	o.set("bearerFormat", s.BearerFormat)
	if f := s.Flows; f != nil {
		fo := &obj{}
		fo.set("implicit", w.flow(f.Implicit))
		fo.set("password", w.flow(f.Password))
		fo.set("clientCredentials", w.flow(f.ClientCredentials))
		fo.set("authorizationCode", w.flow(f.AuthorizationCode))
		o.put("flows", fo)
	}
	o.set("openIdConnectUrl", s.OpenIDConnectURL)
	return o
}

func (w *writer) flow(f *OAuthFlow) *obj {
	if f == nil {
		return nil
	}
	o := &obj{}
	o.set("authorizationUrl", f.AuthorizationURL)
	o.set("tokenUrl", f.TokenURL)
	o.set("refreshUrl", f.RefreshURL)
	scopes := &obj{}
	for _, k := range slices.Sorted(maps.Keys(f.Scopes)) {
		scopes.put(k, f.Scopes[k])
	}
	o.put("scopes", scopes)
	return o
}

func (w *writer) security(reqs []SecurityRequirement) []any {
	out := []any{}
	for _, r := range reqs {
		ro := &obj{}
		for _, name := range slices.Sorted(maps.Keys(r)) {
			scopes := make([]any, 0, len(r[name]))
			for _, s := range r[name] {
				scopes = append(scopes, s)
			}
			ro.put(name, scopes)
		}
		out = append(out, ro)
	}
	return out
}
