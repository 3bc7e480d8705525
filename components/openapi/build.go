package openapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/backplane-dev/backplane/components/apidoc"
	"github.com/backplane-dev/backplane/components/schema"
)

// Names of the schemas the builder adds for error responses: the
// LoopBack-compatible envelope {"error":{statusCode,name,message,code,details}}.
const (
	ErrorSchema       = "ErrorEnvelope"
	ErrorDetailSchema = "ErrorDetail"
)

// Builder assembles a Document from routes, named schemas and other
// documents. It is not safe for concurrent use; the component uses one per
// build, at start.
type Builder struct {
	doc    *Document
	opIDs  map[string]string // operationId → "GET /path"
	errs   []error
	errors bool // an operation references the error envelope
	// derived lists the operations ("GET /path") whose summary the
	// builder derived from the operationId: they declared none.
	derived []string
}

// NewBuilder returns a builder for a document with info.
func NewBuilder(info Info) *Builder {
	return &Builder{
		doc:   &Document{Info: info, Paths: map[string]*PathItem{}},
		opIDs: map[string]string{},
	}
}

// DerivedSummaries lists the operations ("GET /todos") that declared no
// summary, whose summary in the document the builder derived from the
// operationId. The component's "operation-summary" check reports them.
func (b *Builder) DerivedSummaries() []string { return slices.Clone(b.derived) }

// Document returns the document being built, for sources that add to it
// directly (servers, security schemes, tags with descriptions).
func (b *Builder) Document() *Document { return b.doc }

var (
	echoParam = regexp.MustCompile(`:([A-Za-z0-9_]+)`)
	tmplParam = regexp.MustCompile(`\{([^{}/]+)\}`)
)

// TemplatePath turns a router path ("/todos/:id", "/files/*") into an
// OpenAPI path template ("/todos/{id}", "/files/{path}").
func TemplatePath(p string) string {
	p = echoParam.ReplaceAllString(p, "{$1}")
	if strings.HasSuffix(p, "/*") {
		p = strings.TrimSuffix(p, "*") + "{path}"
	}
	return p
}

// AddRoute adds the operation of r. Beyond the errors r declares, it
// documents those the REST pipeline returns for what the route reads:
//
//	parameters           400 INVALID_PARAMETER_VALUE (and MISSING_REQUIRED_PARAMETER when one is required)
//	a request body       400 (malformed body), 413, 415 UNSUPPORTED_MEDIA_TYPE, 422 VALIDATION_FAILED
//
// A missing operationId is derived from the method and path, a missing
// summary from the operationId, missing tags from the first path segment.
// Two operations with one operationId, or two routes with one method and
// path, are errors.
func (b *Builder) AddRoute(r Route) error {
	if r.Hidden {
		return nil
	}
	method := strings.ToUpper(r.Method)
	path := TemplatePath(r.Path)
	if path == "" || path[0] != '/' {
		return b.fail(fmt.Errorf("openapi: route %s %q: the path must start with /", method, r.Path))
	}
	item := b.doc.Paths[path]
	if item == nil {
		item = &PathItem{}
	}
	if item.Operation(method) != nil {
		return b.fail(fmt.Errorf("openapi: route %s %s is declared twice", method, path))
	}
	op := &Operation{
		Tags:        slices.Clone(r.Tags),
		Summary:     r.Summary,
		Description: r.Description,
		OperationID: r.OperationID,
		Deprecated:  r.Deprecated,
		Security:    cloneSecurity(r.Security),
		Responses:   map[string]*Response{},
	}
	if op.OperationID == "" {
		op.OperationID = DeriveOperationID(method, path)
	}
	if prev, dup := b.opIDs[op.OperationID]; dup {
		return b.fail(fmt.Errorf("openapi: operationId %q is used by %s and %s %s; give one of them another operationId", op.OperationID, prev, method, path))
	}
	if op.Summary == "" {
		op.Summary = Sentence(op.OperationID)
		b.derived = append(b.derived, method+" "+path)
	}
	if len(op.Tags) == 0 {
		if t := DeriveTag(path); t != "" {
			op.Tags = []string{t}
		}
	}

	acc := newErrorSet()
	declared := map[string]bool{}
	for _, p := range r.Parameters {
		if p == nil {
			continue
		}
		cp := *p
		cp.Schema = CloneSchema(p.Schema)
		if cp.In == "path" {
			cp.Required = true
			declared[cp.Name] = true
		}
		op.Parameters = append(op.Parameters, &cp)
		acc.add(http.StatusBadRequest, "INVALID_PARAMETER_VALUE")
		if cp.Required && cp.In != "path" {
			acc.add(http.StatusBadRequest, "MISSING_REQUIRED_PARAMETER")
		}
	}
	for _, m := range tmplParam.FindAllStringSubmatch(path, -1) {
		if !declared[m[1]] {
			op.Parameters = append(op.Parameters, &Parameter{Name: m[1], In: "path", Required: true, Schema: &schema.Schema{Type: "string"}})
			declared[m[1]] = true
		}
	}
	for name := range declared {
		if !strings.Contains(path, "{"+name+"}") {
			return b.fail(fmt.Errorf("openapi: route %s %s declares path parameter %q that its path does not have", method, path, name))
		}
	}
	if r.Body != nil {
		cts := r.Body.ContentTypes
		if len(cts) == 0 {
			cts = []string{"application/json"}
		}
		content := map[string]*MediaType{}
		for _, ct := range cts {
			content[ct] = &MediaType{Schema: CloneSchema(r.Body.Schema)}
		}
		op.RequestBody = &RequestBody{Description: r.Body.Description, Required: !r.Body.Optional, Content: content}
		acc.reason(http.StatusBadRequest, "the body is not well-formed")
		acc.add(http.StatusRequestEntityTooLarge, "")
		acc.add(http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE")
		acc.add(http.StatusUnprocessableEntity, "VALIDATION_FAILED")
	}
	for _, e := range r.Errors {
		if e.Status < 400 || e.Status > 599 {
			return b.fail(fmt.Errorf("openapi: route %s %s: error status %d is not 4xx or 5xx", method, path, e.Status))
		}
		acc.add(e.Status, "")
		for _, c := range e.Codes {
			acc.add(e.Status, c)
		}
		if e.Description != "" {
			acc.describe(e.Status, e.Description)
		}
	}
	b.success(op, r.Success)
	for status, e := range acc.m {
		op.Responses[strconv.Itoa(status)] = e.response()
		b.errors = true
	}

	item.SetOperation(method, op)
	b.doc.Paths[path] = item
	b.opIDs[op.OperationID] = method + " " + path
	return nil
}

func (b *Builder) success(op *Operation, s Success) {
	status := s.Status
	if status == 0 {
		status = http.StatusOK
		if s.Schema == nil {
			status = http.StatusNoContent
		}
	}
	desc := s.Description
	if desc == "" {
		desc = http.StatusText(status)
		if desc == "" {
			desc = "Success"
		}
	}
	resp := &Response{Description: desc, Headers: s.Headers}
	if s.Schema != nil {
		ct := s.ContentType
		if ct == "" {
			ct = "application/json"
		}
		resp.Content = map[string]*MediaType{ct: {Schema: CloneSchema(s.Schema)}}
	}
	op.Responses[strconv.Itoa(status)] = resp
}

// AddSchema adds a named schema. Adding the same schema twice under one
// name is harmless; two different schemas under one name is an error that
// shows both, so name collisions across packages are found at start.
func (b *Builder) AddSchema(name string, s *schema.Schema) error {
	if b.doc.Components.Schemas == nil {
		b.doc.Components.Schemas = map[string]*schema.Schema{}
	}
	if prev, ok := b.doc.Components.Schemas[name]; ok {
		if !sameSchema(prev, s) {
			return b.fail(fmt.Errorf("openapi: two different schemas are named %q:\n  %s\n  %s", name, schemaJSON(prev), schemaJSON(s)))
		}
		return nil
	}
	b.doc.Components.Schemas[name] = CloneSchema(s)
	return nil
}

// AddAPI adds what d describes: its named schemas, then its routes.
func (b *Builder) AddAPI(ctx context.Context, d apidoc.Describer) error {
	api, err := d.DescribeAPI(ctx)
	if err != nil {
		return err
	}
	if api == nil {
		return nil
	}
	errs := []error{b.AddSchemas(api.Schemas)}
	for _, name := range slices.Sorted(maps.Keys(api.SecuritySchemes)) {
		errs = append(errs, b.AddSecurityScheme(name, api.SecuritySchemes[name]))
	}
	for _, r := range api.Routes {
		errs = append(errs, b.AddRoute(r))
	}
	return errors.Join(errs...)
}

// AddSecurityScheme adds a security scheme described by a component
// (package apidoc) to components.securitySchemes. A scheme of the same
// name with other content is an error.
func (b *Builder) AddSecurityScheme(name string, s *apidoc.SecurityScheme) error {
	if s == nil {
		return nil
	}
	cp := &SecurityScheme{Type: s.Type, Description: s.Description, Name: s.Name, In: s.In, Scheme: s.Scheme, BearerFormat: s.BearerFormat}
	if prev, ok := b.doc.Components.SecuritySchemes[name]; ok && *prev != *cp {
		return b.fail(fmt.Errorf("openapi: security scheme %q is described twice, differently", name))
	}
	b.doc.AddSecurityScheme(name, cp)
	return nil
}

// AddSchemas adds every schema of m, by name.
func (b *Builder) AddSchemas(m map[string]*schema.Schema) error {
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(m)) {
		if err := b.AddSchema(name, m[name]); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Merge adds another document's operations, schemas, tags and security
// schemes (a converted Swagger 2.0 document of legacy handlers, for
// instance). origin names it in errors. An operation already present, or
// a component of the same name with other content, is an error.
func (b *Builder) Merge(other *Document, origin string) error {
	var errs []error
	other.Operations(func(method, path string, op *Operation) {
		item := b.doc.Paths[path]
		if item == nil {
			src := other.Paths[path]
			item = &PathItem{Summary: src.Summary, Description: src.Description, Parameters: src.Parameters}
			b.doc.Paths[path] = item
		}
		if item.Operation(method) != nil {
			errs = append(errs, fmt.Errorf("openapi: %s: %s %s is already in the document", origin, method, path))
			return
		}
		if op.OperationID != "" {
			if prev, dup := b.opIDs[op.OperationID]; dup {
				errs = append(errs, fmt.Errorf("openapi: %s: operationId %q of %s %s is already used by %s", origin, op.OperationID, method, path, prev))
				return
			}
			b.opIDs[op.OperationID] = method + " " + path
		}
		item.SetOperation(method, op)
	})
	for _, name := range slices.Sorted(maps.Keys(other.Components.Schemas)) {
		if err := b.AddSchema(name, other.Components.Schemas[name]); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", origin, err))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(other.Components.SecuritySchemes)) {
		s := other.Components.SecuritySchemes[name]
		if prev, ok := b.doc.Components.SecuritySchemes[name]; ok && *prev != *s {
			errs = append(errs, fmt.Errorf("openapi: %s: security scheme %q differs from the one already in the document", origin, name))
			continue
		}
		b.doc.AddSecurityScheme(name, s)
	}
	mergeNamed(&b.doc.Components.Responses, other.Components.Responses)
	mergeNamed(&b.doc.Components.Parameters, other.Components.Parameters)
	mergeNamed(&b.doc.Components.RequestBodies, other.Components.RequestBodies)
	mergeNamed(&b.doc.Components.Headers, other.Components.Headers)
	for _, t := range other.Tags {
		if !slices.ContainsFunc(b.doc.Tags, func(x Tag) bool { return x.Name == t.Name }) {
			b.doc.Tags = append(b.doc.Tags, t)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return b.fail(err)
	}
	return nil
}

func mergeNamed[V any](dst *map[string]V, src map[string]V) {
	if len(src) == 0 {
		return
	}
	if *dst == nil {
		*dst = map[string]V{}
	}
	for k, v := range src {
		if _, ok := (*dst)[k]; !ok {
			(*dst)[k] = v
		}
	}
}

func (b *Builder) fail(err error) error {
	b.errs = append(b.errs, err)
	return err
}

// Build finishes the document: the error envelope schemas when an
// operation uses them, a tag entry for every tag in use (sorted; entries
// already present keep their descriptions and place), and titled inline
// enums moved to named schemas. It returns every error met while building.
func (b *Builder) Build() (*Document, error) {
	if err := errors.Join(b.errs...); err != nil {
		return nil, err
	}
	d := b.doc
	if b.errors {
		if err := b.AddSchema(ErrorDetailSchema, errorDetailSchema()); err != nil {
			return nil, err
		}
		if err := b.AddSchema(ErrorSchema, errorSchema()); err != nil {
			return nil, err
		}
	}
	known := map[string]bool{}
	for _, t := range d.Tags {
		known[t.Name] = true
	}
	var extra []string
	d.Operations(func(_, _ string, op *Operation) {
		for _, t := range op.Tags {
			if !known[t] {
				known[t] = true
				extra = append(extra, t)
			}
		}
	})
	slices.Sort(extra)
	for _, t := range extra {
		d.Tags = append(d.Tags, Tag{Name: t})
	}
	if err := hoistEnums(d); err != nil {
		return nil, err
	}
	return d, nil
}

func errorDetailSchema() *schema.Schema {
	return &schema.Schema{
		Type:        "object",
		Description: "One problem found in the request.",
		Properties: map[string]*schema.Schema{
			"path":    {Type: "string", Description: "JSON pointer to the value at fault (empty for the whole value)."},
			"code":    {Type: "string", Description: "The JSON Schema keyword that failed: required, type, additionalProperties, ..."},
			"message": {Type: "string", Description: "What is wrong, for people."},
			"info":    {Type: "object", Description: "The keyword's parameters (missingProperty, limit, ...).", AdditionalProperties: &schema.Schema{}},
		},
		PropertyOrder: []string{"path", "code", "message", "info"},
		Required:      []string{"path", "code", "message"},
	}
}

func errorSchema() *schema.Schema {
	return &schema.Schema{
		Type:        "object",
		Description: "The error envelope every error response carries.",
		Properties: map[string]*schema.Schema{
			"error": {
				Type: "object",
				Properties: map[string]*schema.Schema{
					"statusCode": {Type: "integer", Format: "int32", Description: "The HTTP status code."},
					"name":       {Type: "string", Description: "The error's name (BadRequestError, UnprocessableEntityError, ...)."},
					"message":    {Type: "string", Description: "What went wrong, for people."},
					"code":       {Type: "string", Description: "A stable machine-readable code (VALIDATION_FAILED, ENTITY_NOT_FOUND, ...)."},
					"details":    {Type: "array", Items: Ref(ErrorDetailSchema), Description: "Every problem found, for validation errors."},
				},
				PropertyOrder: []string{"statusCode", "name", "message", "code", "details"},
				Required:      []string{"statusCode", "name", "message"},
			},
		},
		PropertyOrder: []string{"error"},
		Required:      []string{"error"},
	}
}

// errorSet accumulates the error responses of one operation.
type errorSet struct{ m map[int]*errorEntry }

type errorEntry struct {
	status  int
	codes   []string
	reasons []string
	desc    string
}

func newErrorSet() *errorSet { return &errorSet{m: map[int]*errorEntry{}} }

func (s *errorSet) entry(status int) *errorEntry {
	e := s.m[status]
	if e == nil {
		e = &errorEntry{status: status}
		s.m[status] = e
	}
	return e
}

func (s *errorSet) add(status int, code string) {
	e := s.entry(status)
	if code != "" && !slices.Contains(e.codes, code) {
		e.codes = append(e.codes, code)
	}
}

func (s *errorSet) reason(status int, why string) {
	e := s.entry(status)
	if !slices.Contains(e.reasons, why) {
		e.reasons = append(e.reasons, why)
	}
}

func (s *errorSet) describe(status int, desc string) { s.entry(status).desc = desc }

// codeMeaning says, for people, what each well-known code means.
var codeMeaning = map[string]string{
	"INVALID_PARAMETER_VALUE":    "a parameter has a value of the wrong type or out of range",
	"MISSING_REQUIRED_PARAMETER": "a required parameter is missing",
	"VALIDATION_FAILED":          "the body does not match its schema; details lists every problem",
	"UNSUPPORTED_MEDIA_TYPE":     "the Content-Type is not one the operation accepts",
	"ENTITY_NOT_FOUND":           "no entity has the given id",
}

func (e *errorEntry) response() *Response {
	desc := e.desc
	if desc == "" {
		var parts []string
		codes := slices.Clone(e.codes)
		slices.Sort(codes)
		for _, c := range codes {
			if m, ok := codeMeaning[c]; ok {
				parts = append(parts, c+": "+m)
			} else {
				parts = append(parts, c)
			}
		}
		parts = append(parts, e.reasons...)
		desc = http.StatusText(e.status)
		if desc == "" {
			desc = "Error " + strconv.Itoa(e.status)
		}
		if e.status == http.StatusRequestEntityTooLarge && len(parts) == 0 {
			parts = append(parts, "the body is larger than the server's limit")
		}
		if len(parts) > 0 {
			desc += " (" + strings.Join(parts, "; ") + ")."
		} else {
			desc += "."
		}
	}
	return &Response{
		Description: desc,
		Content:     map[string]*MediaType{"application/json": {Schema: Ref(ErrorSchema)}},
	}
}

// DeriveOperationID names an operation from its method and path:
// GET /todos/{id} → "getTodosById".
func DeriveOperationID(method, path string) string {
	var sb strings.Builder
	sb.WriteString(strings.ToLower(method))
	for _, seg := range strings.Split(path, "/") {
		if seg == "" {
			continue
		}
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			sb.WriteString("By")
			seg = seg[1 : len(seg)-1]
		}
		for _, w := range splitWords(seg) {
			sb.WriteString(upperFirst(w))
		}
	}
	return sb.String()
}

// Sentence turns an identifier into a summary: "findTodoById" →
// "Find todo by id", "TodoController.create" → "Todo controller create".
func Sentence(id string) string {
	words := splitWords(id)
	for i, w := range words {
		if i == 0 {
			words[i] = upperFirst(strings.ToLower(w))
		} else if !isAcronym(w) {
			words[i] = strings.ToLower(w)
		}
	}
	return strings.Join(words, " ")
}

func isAcronym(w string) bool {
	return len(w) > 1 && strings.ToUpper(w) == w && strings.IndexFunc(w, unicode.IsLetter) >= 0
}

// splitWords splits camelCase, PascalCase, snake_case, kebab-case and
// dotted identifiers into words, keeping acronyms together ("HTTPServer" →
// "HTTP", "Server").
func splitWords(s string) []string {
	var words []string
	rs := []rune(s)
	start := -1
	flush := func(end int) {
		if start >= 0 && end > start {
			words = append(words, string(rs[start:end]))
		}
		start = -1
	}
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
			continue
		}
		prev := rs[i-1]
		switch {
		case unicode.IsUpper(r) && (unicode.IsLower(prev) || unicode.IsDigit(prev)):
			flush(i)
			start = i
		case unicode.IsUpper(r) && unicode.IsUpper(prev) && i+1 < len(rs) && unicode.IsLower(rs[i+1]):
			flush(i)
			start = i
		}
	}
	flush(len(rs))
	return words
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// DeriveTag is the tag of an operation that declares none: the first
// path segment that is not a parameter ("todos" for /todos/{id}).
func DeriveTag(path string) string {
	for _, seg := range strings.Split(path, "/") {
		if seg != "" && !strings.HasPrefix(seg, "{") {
			return seg
		}
	}
	return ""
}

func cloneSecurity(in []SecurityRequirement) []SecurityRequirement {
	if in == nil {
		return nil
	}
	out := make([]SecurityRequirement, len(in))
	for i, r := range in {
		out[i] = SecurityRequirement{}
		for k, v := range r {
			out[i][k] = slices.Clone(v)
		}
	}
	return out
}

func schemaJSON(s *schema.Schema) string {
	var buf bytes.Buffer
	w := &writer{v: V31}
	t := w.schema(s)
	writeJSON(&buf, t, 0)
	return compact(buf.Bytes())
}

func compact(b []byte) string {
	var out bytes.Buffer
	inStr, esc := false, false
	for _, c := range b {
		switch {
		case esc:
			esc = false
		case c == '\\' && inStr:
			esc = true
		case c == '"':
			inStr = !inStr
		case !inStr && (c == '\n' || c == ' '):
			continue
		}
		out.WriteByte(c)
	}
	return out.String()
}

func sameSchema(a, b *schema.Schema) bool { return schemaJSON(a) == schemaJSON(b) }
