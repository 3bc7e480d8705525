package swagbridge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/schema"
)

// The Swagger 2.0 document as swag writes it; only what converts.
type (
	swagger2 struct {
		Swagger             string                        `json:"swagger"`
		Info                *swagger2Info                 `json:"info"`
		BasePath            string                        `json:"basePath"`
		Consumes            []string                      `json:"consumes"`
		Produces            []string                      `json:"produces"`
		Paths               map[string]swagger2Path       `json:"paths"`
		Definitions         map[string]json.RawMessage    `json:"definitions"`
		Parameters          map[string]*swagger2Param     `json:"parameters"`
		Responses           map[string]*swagger2Resp      `json:"responses"`
		SecurityDefinitions map[string]*swagger2Sec       `json:"securityDefinitions"`
		Security            []openapi.SecurityRequirement `json:"security"`
		Tags                []swagger2Tag                 `json:"tags"`
	}
	swagger2Info struct {
		Title       string `json:"title"`
		Description string `json:"description"`
		Version     string `json:"version"`
	}
	swagger2Tag struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	}
	swagger2Path map[string]json.RawMessage // method → operation; "parameters"
	swagger2Op   struct {
		Tags        []string                      `json:"tags"`
		Summary     string                        `json:"summary"`
		Description string                        `json:"description"`
		OperationID string                        `json:"operationId"`
		Consumes    []string                      `json:"consumes"`
		Produces    []string                      `json:"produces"`
		Parameters  []*swagger2Param              `json:"parameters"`
		Responses   map[string]*swagger2Resp      `json:"responses"`
		Deprecated  bool                          `json:"deprecated"`
		Security    []openapi.SecurityRequirement `json:"security"`
	}
	swagger2Param struct {
		Ref              string          `json:"$ref"`
		Name             string          `json:"name"`
		In               string          `json:"in"`
		Description      string          `json:"description"`
		Required         bool            `json:"required"`
		Schema           json.RawMessage `json:"schema"`
		CollectionFormat string          `json:"collectionFormat"`
		raw              json.RawMessage // the whole parameter, for its simple-type schema keywords
	}
	swagger2Resp struct {
		Ref         string                     `json:"$ref"`
		Description string                     `json:"description"`
		Schema      json.RawMessage            `json:"schema"`
		Headers     map[string]json.RawMessage `json:"headers"`
	}
	swagger2Sec struct {
		Type             string            `json:"type"`
		Description      string            `json:"description"`
		Name             string            `json:"name"`
		In               string            `json:"in"`
		Flow             string            `json:"flow"`
		AuthorizationURL string            `json:"authorizationUrl"`
		TokenURL         string            `json:"tokenUrl"`
		Scopes           map[string]string `json:"scopes"`
	}
)

func (p *swagger2Param) UnmarshalJSON(b []byte) error {
	type plainParam swagger2Param
	var x plainParam
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*p = swagger2Param(x)
	p.raw = append(json.RawMessage(nil), b...)
	return nil
}

// Convert converts a Swagger 2.0 document (JSON, as `swag init`
// writes to swagger.json) into a Document: definitions become
// components.schemas, body and formData parameters become request bodies,
// consumes/produces become content types, basePath is folded into the
// paths, securityDefinitions become security schemes. Operations without a
// summary, operationId or tags get them as routes do (see
// [Builder.AddRoute]); integers without a format get int64, the size of
// the Go int that swag leaves unformatted.
func Convert(doc []byte) (*openapi.Document, error) {
	var in swagger2
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	if err := dec.Decode(&in); err != nil {
		return nil, fmt.Errorf("swagbridge: read Swagger 2.0 document: %w", err)
	}
	if in.Swagger != "2.0" {
		return nil, fmt.Errorf("swagbridge: not a Swagger 2.0 document (swagger: %q)", in.Swagger)
	}
	c := &converter{in: &in}
	out := &openapi.Document{Paths: map[string]*openapi.PathItem{}}
	if in.Info != nil {
		out.Info = openapi.Info{Title: in.Info.Title, Description: in.Info.Description, Version: in.Info.Version}
	}
	base := strings.TrimSuffix(in.BasePath, "/")
	var errs []error
	for name, raw := range in.Definitions {
		s, err := c.schema(raw)
		if err != nil {
			errs = append(errs, fmt.Errorf("definition %q: %w", name, err))
			continue
		}
		out.AddSchema(componentSafe(name), s)
	}
	for name, p := range in.Parameters {
		if p.In == "body" || p.In == "formData" {
			continue // inlined where referenced
		}
		cp, err := c.param(p)
		if err != nil {
			errs = append(errs, fmt.Errorf("parameter %q: %w", name, err))
			continue
		}
		if out.Components.Parameters == nil {
			out.Components.Parameters = map[string]*openapi.Parameter{}
		}
		out.Components.Parameters[componentSafe(name)] = cp
	}
	for name, r := range in.Responses {
		cr, err := c.response(r, in.Produces)
		if err != nil {
			errs = append(errs, fmt.Errorf("response %q: %w", name, err))
			continue
		}
		if out.Components.Responses == nil {
			out.Components.Responses = map[string]*openapi.Response{}
		}
		out.Components.Responses[componentSafe(name)] = cr
	}
	for name, s := range in.SecurityDefinitions {
		out.AddSecurityScheme(name, convertSecurity(s))
	}
	out.Security = in.Security
	for _, t := range in.Tags {
		out.Tags = append(out.Tags, openapi.Tag{Name: t.Name, Description: t.Description})
	}
	for _, path := range slices.Sorted(maps.Keys(in.Paths)) {
		item := in.Paths[path]
		var shared []*swagger2Param
		if raw, ok := item["parameters"]; ok {
			if err := json.Unmarshal(raw, &shared); err != nil {
				errs = append(errs, fmt.Errorf("%s parameters: %w", path, err))
			}
		}
		full := openapi.TemplatePath(base + path)
		for _, m := range openapi.Methods {
			raw, ok := item[strings.ToLower(m)]
			if !ok {
				continue
			}
			var op swagger2Op
			if err := json.Unmarshal(raw, &op); err != nil {
				errs = append(errs, fmt.Errorf("%s %s: %w", m, path, err))
				continue
			}
			o, err := c.operation(m, full, &op, shared)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s %s: %w", m, path, err))
				continue
			}
			pi := out.Paths[full]
			if pi == nil {
				pi = &openapi.PathItem{}
				out.Paths[full] = pi
			}
			pi.SetOperation(m, o)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("swagbridge: convert Swagger 2.0 document: %w", err)
	}
	return out, nil
}

type converter struct{ in *swagger2 }

func (c *converter) operation(method, path string, op *swagger2Op, shared []*swagger2Param) (*openapi.Operation, error) {
	o := &openapi.Operation{
		Tags: op.Tags, Summary: op.Summary, Description: op.Description,
		OperationID: op.OperationID, Deprecated: op.Deprecated, Security: op.Security,
		Responses: map[string]*openapi.Response{},
	}
	if o.OperationID == "" {
		o.OperationID = openapi.DeriveOperationID(method, path)
	}
	if o.Summary == "" {
		o.Summary = openapi.Sentence(o.OperationID)
	}
	if len(o.Tags) == 0 {
		if t := openapi.DeriveTag(path); t != "" {
			o.Tags = []string{t}
		}
	}
	consumes := op.Consumes
	if len(consumes) == 0 {
		consumes = c.in.Consumes
	}
	produces := op.Produces
	if len(produces) == 0 {
		produces = c.in.Produces
	}
	params := append(append([]*swagger2Param(nil), shared...), op.Parameters...)
	form := &schema.Schema{Type: "object", Properties: map[string]*schema.Schema{}}
	formMultipart := false
	for _, p := range params {
		if p.Ref != "" {
			name := strings.TrimPrefix(p.Ref, "#/parameters/")
			rp := c.in.Parameters[name]
			if rp == nil {
				return nil, fmt.Errorf("parameter $ref %q: no such parameter", p.Ref)
			}
			if rp.In != "body" && rp.In != "formData" {
				o.Parameters = append(o.Parameters, &openapi.Parameter{Ref: "#/components/parameters/" + componentSafe(name)})
				continue
			}
			p = rp
		}
		switch p.In {
		case "body":
			s, err := c.schema(p.Schema)
			if err != nil {
				return nil, fmt.Errorf("body parameter %q: %w", p.Name, err)
			}
			cts := consumes
			if len(cts) == 0 {
				cts = []string{"application/json"}
			}
			content := map[string]*openapi.MediaType{}
			for _, ct := range cts {
				content[ct] = &openapi.MediaType{Schema: openapi.CloneSchema(s)}
			}
			o.RequestBody = &openapi.RequestBody{Description: p.Description, Required: p.Required, Content: content}
		case "formData":
			s, err := c.simple(p.raw)
			if err != nil {
				return nil, fmt.Errorf("form parameter %q: %w", p.Name, err)
			}
			if s.Type == "file" {
				s = &schema.Schema{Type: "string", Format: "binary"}
				formMultipart = true
			}
			s.Description = p.Description
			form.Properties[p.Name] = s
			form.PropertyOrder = append(form.PropertyOrder, p.Name)
			if p.Required {
				form.Required = append(form.Required, p.Name)
			}
		default:
			cp, err := c.param(p)
			if err != nil {
				return nil, err
			}
			o.Parameters = append(o.Parameters, cp)
		}
	}
	if len(form.Properties) > 0 {
		ct := "application/x-www-form-urlencoded"
		if formMultipart || slices.Contains(consumes, "multipart/form-data") {
			ct = "multipart/form-data"
		}
		o.RequestBody = &openapi.RequestBody{Required: len(form.Required) > 0, Content: map[string]*openapi.MediaType{ct: {Schema: form}}}
	}
	for code, r := range op.Responses {
		cr, err := c.response(r, produces)
		if err != nil {
			return nil, fmt.Errorf("response %s: %w", code, err)
		}
		o.Responses[code] = cr
	}
	if len(o.Responses) == 0 {
		o.Responses["200"] = &openapi.Response{Description: "OK"}
	}
	return o, nil
}

func (c *converter) param(p *swagger2Param) (*openapi.Parameter, error) {
	s, err := c.simple(p.raw)
	if err != nil {
		return nil, fmt.Errorf("parameter %q: %w", p.Name, err)
	}
	out := &openapi.Parameter{Name: p.Name, In: p.In, Description: p.Description, Required: p.Required || p.In == "path", Schema: s}
	if s.Type == "array" {
		explode := false
		switch p.CollectionFormat {
		case "multi":
			explode = true
			out.Style = "form"
		case "ssv":
			out.Style = "spaceDelimited"
		case "pipes":
			out.Style = "pipeDelimited"
		default: // csv
			if p.In == "query" || p.In == "cookie" {
				out.Style = "form"
			} else {
				out.Style = "simple"
			}
		}
		out.Explode = &explode
	}
	return out, nil
}

// simple reads the schema keywords of a non-body parameter, header or
// items object (type, format, items, enum, bounds...).
func (c *converter) simple(raw json.RawMessage) (*schema.Schema, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	for _, k := range []string{"name", "in", "description", "required", "collectionFormat", "allowEmptyValue", "schema"} {
		delete(m, k)
	}
	b, _ := json.Marshal(m)
	return c.schema(b)
}

func (c *converter) response(r *swagger2Resp, produces []string) (*openapi.Response, error) {
	if r == nil {
		return &openapi.Response{Description: "OK"}, nil
	}
	if r.Ref != "" {
		return &openapi.Response{Ref: "#/components/responses/" + componentSafe(strings.TrimPrefix(r.Ref, "#/responses/"))}, nil
	}
	out := &openapi.Response{Description: r.Description}
	if len(r.Schema) > 0 {
		s, err := c.schema(r.Schema)
		if err != nil {
			return nil, err
		}
		cts := produces
		if len(cts) == 0 {
			cts = []string{"application/json"}
		}
		out.Content = map[string]*openapi.MediaType{}
		for _, ct := range cts {
			out.Content[ct] = &openapi.MediaType{Schema: openapi.CloneSchema(s)}
		}
	}
	for name, raw := range r.Headers {
		s, err := c.simple(raw)
		if err != nil {
			return nil, fmt.Errorf("header %q: %w", name, err)
		}
		var d struct {
			Description string `json:"description"`
		}
		_ = json.Unmarshal(raw, &d)
		if out.Headers == nil {
			out.Headers = map[string]*openapi.Header{}
		}
		out.Headers[name] = &openapi.Header{Description: d.Description, Schema: s}
	}
	return out, nil
}

func convertSecurity(s *swagger2Sec) *openapi.SecurityScheme {
	switch s.Type {
	case "basic":
		return &openapi.SecurityScheme{Type: "http", Scheme: "basic", Description: s.Description}
	case "apiKey":
		return &openapi.SecurityScheme{Type: "apiKey", Name: s.Name, In: s.In, Description: s.Description}
	}
	flow := &openapi.OAuthFlow{AuthorizationURL: s.AuthorizationURL, TokenURL: s.TokenURL, Scopes: s.Scopes}
	if flow.Scopes == nil {
		flow.Scopes = map[string]string{}
	}
	flows := &openapi.OAuthFlows{}
	switch s.Flow {
	case "implicit":
		flows.Implicit = flow
	case "password":
		flows.Password = flow
	case "application":
		flows.ClientCredentials = flow
	default: // accessCode
		flows.AuthorizationCode = flow
	}
	return &openapi.SecurityScheme{Type: "oauth2", Description: s.Description, Flows: flows}
}

// swagSchema is a Swagger 2.0 schema object.
type swagSchema struct {
	Ref                  string                     `json:"$ref"`
	Type                 json.RawMessage            `json:"type"`
	Format               string                     `json:"format"`
	Title                string                     `json:"title"`
	Description          string                     `json:"description"`
	Enum                 []any                      `json:"enum"`
	Default              any                        `json:"default"`
	Example              any                        `json:"example"`
	Minimum              *float64                   `json:"minimum"`
	Maximum              *float64                   `json:"maximum"`
	ExclusiveMinimum     bool                       `json:"exclusiveMinimum"`
	ExclusiveMaximum     bool                       `json:"exclusiveMaximum"`
	MultipleOf           *float64                   `json:"multipleOf"`
	MinLength            *int                       `json:"minLength"`
	MaxLength            *int                       `json:"maxLength"`
	Pattern              string                     `json:"pattern"`
	Items                json.RawMessage            `json:"items"`
	MinItems             *int                       `json:"minItems"`
	MaxItems             *int                       `json:"maxItems"`
	UniqueItems          bool                       `json:"uniqueItems"`
	Properties           map[string]json.RawMessage `json:"properties"`
	Required             []string                   `json:"required"`
	AdditionalProperties json.RawMessage            `json:"additionalProperties"`
	AllOf                []json.RawMessage          `json:"allOf"`
	ReadOnly             bool                       `json:"readOnly"`
	XNullable            bool                       `json:"x-nullable"`
	XEnumVarnames        []string                   `json:"x-enum-varnames"`
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]`)

// componentSafe makes a swag definition name ("pkg.Page-pkg_Item") a
// valid component name.
func componentSafe(name string) string { return unsafeName.ReplaceAllString(name, "_") }

func (c *converter) schema(raw json.RawMessage) (*schema.Schema, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return &schema.Schema{}, nil
	}
	var in swagSchema
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&in); err != nil {
		return nil, err
	}
	if in.Ref != "" {
		name, ok := strings.CutPrefix(in.Ref, "#/definitions/")
		if !ok {
			return nil, fmt.Errorf("unsupported $ref %q", in.Ref)
		}
		return &schema.Schema{Ref: openapi.SchemaRefPrefix + componentSafe(name), Description: in.Description, Nullable: in.XNullable}, nil
	}
	s := &schema.Schema{
		Format: in.Format, Title: in.Title, Description: in.Description,
		Enum: numbers(in.Enum), Default: number(in.Default), Example: number(in.Example),
		Minimum: in.Minimum, Maximum: in.Maximum,
		ExclusiveMinimum: in.ExclusiveMinimum, ExclusiveMaximum: in.ExclusiveMaximum,
		MultipleOf: in.MultipleOf, MinLength: in.MinLength, MaxLength: in.MaxLength, Pattern: in.Pattern,
		MinItems: in.MinItems, MaxItems: in.MaxItems, UniqueItems: in.UniqueItems,
		Required: in.Required, ReadOnly: in.ReadOnly, Nullable: in.XNullable,
	}
	if len(in.Type) > 0 {
		var t string
		if err := json.Unmarshal(in.Type, &t); err != nil {
			var ts []string
			if err := json.Unmarshal(in.Type, &ts); err != nil || len(ts) == 0 {
				return nil, fmt.Errorf("type %s is neither a string nor a list of strings", in.Type)
			}
			t = ts[0]
		}
		s.Type = t
	}
	if s.Type == "integer" && s.Format == "" {
		s.Format = "int64"
	}
	if len(in.XEnumVarnames) > 0 {
		s.Extensions = map[string]any{"x-enum-varnames": in.XEnumVarnames}
	}
	if len(in.Items) > 0 {
		items, err := c.schema(in.Items)
		if err != nil {
			return nil, fmt.Errorf("items: %w", err)
		}
		s.Items = items
	}
	if len(in.Properties) > 0 {
		s.Properties = map[string]*schema.Schema{}
		for _, name := range slices.Sorted(maps.Keys(in.Properties)) {
			p, err := c.schema(in.Properties[name])
			if err != nil {
				return nil, fmt.Errorf("property %q: %w", name, err)
			}
			s.Properties[name] = p
			s.PropertyOrder = append(s.PropertyOrder, name)
		}
	}
	switch ap := strings.TrimSpace(string(in.AdditionalProperties)); ap {
	case "", "true":
	case "false":
		s.NoAdditional = true
	default:
		a, err := c.schema(in.AdditionalProperties)
		if err != nil {
			return nil, fmt.Errorf("additionalProperties: %w", err)
		}
		s.AdditionalProperties = a
	}
	for i, raw := range in.AllOf {
		a, err := c.schema(raw)
		if err != nil {
			return nil, fmt.Errorf("allOf %d: %w", i, err)
		}
		s.AllOf = append(s.AllOf, a)
	}
	return s, nil
}

// number turns a json.Number into an int64 or float64 so it is written
// as the number it was.
func number(v any) any {
	n, ok := v.(json.Number)
	if !ok {
		return v
	}
	if i, err := n.Int64(); err == nil {
		return i
	}
	if f, err := n.Float64(); err == nil {
		return f
	}
	return n.String()
}

func numbers(l []any) []any {
	for i := range l {
		l[i] = number(l[i])
	}
	return l
}
