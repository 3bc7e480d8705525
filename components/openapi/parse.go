package openapi

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/backplane-dev/backplane/components/schema"
)

// Parsed is an OpenAPI document read from YAML or JSON ([Parse]), with
// the place in the file of each of its parts, so that what is wrong with
// it — or with the code bound to it — can be told by line and column.
type Parsed struct {
	// Document is the document, in the model every other part of the
	// component uses; the given document's keywords the model does not
	// hold as fields (xml, externalDocs of a schema, ...) are kept in
	// Extensions and written back as they were.
	*Document
	// Name is the file's name, as given to Parse.
	Name string
	// Declared is the openapi field as written ("3.0.0", "3.1.0").
	Declared string

	pos map[string]Position
}

// Position is a line and column of a file, both counted from 1.
type Position struct{ Line, Column int }

// Pos returns where the value at the JSON pointer was written (or its
// nearest enclosing value that was recorded).
func (p *Parsed) Pos(pointer string) Position {
	for {
		if at, ok := p.pos[pointer]; ok {
			return at
		}
		i := strings.LastIndexByte(pointer, '/')
		if i < 0 {
			return Position{1, 1}
		}
		pointer = pointer[:i]
	}
}

// At returns "name:line:column" of the value at the JSON pointer.
func (p *Parsed) At(pointer string) string {
	at := p.Pos(pointer)
	return fmt.Sprintf("%s:%d:%d", p.Name, at.Line, at.Column)
}

// OperationPointer returns the JSON pointer of the operation at method and
// path ("/paths/~1todos~1{id}/get").
func OperationPointer(method, path string) string {
	return "/paths/" + escapePointer(path) + "/" + strings.ToLower(method)
}

// ParseError is one problem of a document: where, and what.
type ParseError struct {
	Name    string // the file
	Line    int
	Column  int
	Pointer string // JSON pointer of the value, when known
	Msg     string
}

func (e *ParseError) Error() string {
	at := fmt.Sprintf("%s:%d:%d", e.Name, e.Line, e.Column)
	if e.Pointer != "" {
		return at + ": " + e.Pointer + ": " + e.Msg
	}
	return at + ": " + e.Msg
}

// ParseFile reads the document in the file at path.
func ParseFile(path string) (*Parsed, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	return Parse(path, b)
}

// ParseFS reads the document name of fsys (an embedded directory, say).
func ParseFS(fsys fs.FS, name string) (*Parsed, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	return Parse(name, b)
}

// Parse reads an OpenAPI 3.0 or 3.1 document, YAML or JSON; name names it
// in errors. Beyond the syntax it checks what would make the document
// unservable, and reports every problem at once, each with its line and
// column: a version other than 3.0 or 3.1, a $ref that resolves to
// nothing (or to another file), schemas that only refer to each other
// in a cycle, two operations of one operationId, path templates that
// match the same requests ("/todos/{id}" and "/todos/{name}"), path
// parameters the template does not have (or the reverse), a parameter
// declared twice.
func Parse(name string, data []byte) (*Parsed, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(name, err)
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil, &ParseError{Name: name, Line: 1, Column: 1, Msg: "the file is empty"}
	}
	r := &reader{p: &Parsed{Document: &Document{Paths: map[string]*PathItem{}}, Name: name, pos: map[string]Position{}}}
	r.document(root.Content[0])
	if len(r.errs) == 0 {
		r.checkRefs()
		r.checkOperations()
	}
	if len(r.errs) > 0 {
		slices.SortStableFunc(r.errs, func(a, b *ParseError) int {
			if a.Line != b.Line {
				return a.Line - b.Line
			}
			return a.Column - b.Column
		})
		errs := make([]error, len(r.errs))
		for i, e := range r.errs {
			errs[i] = e
		}
		return nil, fmt.Errorf("openapi: %s: %d problem(s):\n%w", name, len(errs), errors.Join(errs...))
	}
	return r.p, nil
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

func yamlError(name string, err error) error {
	line := 1
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	return fmt.Errorf("openapi: %w", &ParseError{Name: name, Line: line, Column: 1, Msg: "not YAML or JSON: " + msg})
}

type reader struct {
	p    *Parsed
	errs []*ParseError
	refs []refUse
}

type refUse struct {
	kind, ref, at string
	node          *yaml.Node
}

func (r *reader) fail(n *yaml.Node, at, format string, args ...any) {
	e := &ParseError{Name: r.p.Name, Line: 1, Column: 1, Pointer: at, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	r.errs = append(r.errs, e)
}

func (r *reader) mark(n *yaml.Node, at string) {
	r.p.pos[at] = Position{n.Line, n.Column}
}

// fields walks a mapping node's members, in order.
func (r *reader) fields(n *yaml.Node, at string, fn func(key string, v *yaml.Node, at string)) {
	if n == nil {
		return
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind != yaml.MappingNode {
		r.fail(n, at, "must be an object")
		return
	}
	r.mark(n, at)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if v.Kind == yaml.AliasNode {
			v = v.Alias
		}
		p := at + "/" + escapePointer(k.Value)
		r.mark(v, p)
		fn(k.Value, v, p)
	}
}

func (r *reader) str(n *yaml.Node, at string) string {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		r.fail(n, at, "must be a string")
		return ""
	}
	return n.Value
}

func (r *reader) boolean(n *yaml.Node, at string) bool {
	var b bool
	if n.Kind != yaml.ScalarNode || n.Decode(&b) != nil {
		r.fail(n, at, "must be true or false")
	}
	return b
}

func (r *reader) num(n *yaml.Node, at string) *float64 {
	var f float64
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") || n.Decode(&f) != nil {
		r.fail(n, at, "must be a number")
		return nil
	}
	return &f
}

func (r *reader) count(n *yaml.Node, at string) *int {
	var i int
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&i) != nil || i < 0 {
		r.fail(n, at, "must be a non-negative integer")
		return nil
	}
	return &i
}

func (r *reader) strings(n *yaml.Node, at string) []string {
	if n.Kind != yaml.SequenceNode {
		r.fail(n, at, "must be an array of strings")
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for i, e := range n.Content {
		out = append(out, r.str(e, at+"/"+strconv.Itoa(i)))
	}
	return out
}

// value converts any YAML value to the Go values the model holds (int64,
// float64, string, bool, nil, []any, map[string]any).
func value(n *yaml.Node) any {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return nil
		case "!!bool":
			var b bool
			_ = n.Decode(&b)
			return b
		case "!!int":
			var i int64
			if n.Decode(&i) == nil {
				return i
			}
			var f float64
			_ = n.Decode(&f)
			return f
		case "!!float":
			var f float64
			_ = n.Decode(&f)
			return f
		}
		return n.Value
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, e := range n.Content {
			out = append(out, value(e))
		}
		return out
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			out[n.Content[i].Value] = value(n.Content[i+1])
		}
		return out
	}
	return nil
}

func ext(m *map[string]any, key string, v *yaml.Node) {
	if *m == nil {
		*m = map[string]any{}
	}
	(*m)[key] = value(v)
}

func (r *reader) document(n *yaml.Node) {
	d := r.p.Document
	seenVersion := false
	r.fields(n, "", func(key string, v *yaml.Node, at string) {
		switch key {
		case "openapi":
			seenVersion = true
			r.p.Declared = r.str(v, at)
			if !strings.HasPrefix(r.p.Declared, "3.0") && !strings.HasPrefix(r.p.Declared, "3.1") {
				r.fail(v, at, "OpenAPI %q: want 3.0.x or 3.1.x", r.p.Declared)
			}
		case "swagger":
			r.fail(v, at, "a Swagger %s document: serve OpenAPI 3.0 or 3.1 (package swagbridge converts Swagger 2.0)", v.Value)
		case "info":
			r.info(v, at)
		case "servers":
			d.Servers = r.servers(v, at)
		case "tags":
			r.seq(v, at, func(e *yaml.Node, at string) {
				var t Tag
				r.fields(e, at, func(key string, v *yaml.Node, at string) {
					switch key {
					case "name":
						t.Name = r.str(v, at)
					case "description":
						t.Description = r.str(v, at)
					case "externalDocs":
						t.ExternalDocs = r.externalDocs(v, at)
					}
				})
				d.Tags = append(d.Tags, t)
			})
		case "paths":
			r.fields(v, at, func(path string, v *yaml.Node, at string) {
				if strings.HasPrefix(path, "x-") {
					return
				}
				if !strings.HasPrefix(path, "/") {
					r.fail(v, at, "path %q must start with /", path)
					return
				}
				d.Paths[path] = r.pathItem(v, at)
			})
		case "components":
			r.components(v, at)
		case "security":
			d.Security = r.security(v, at)
		case "externalDocs":
			d.ExternalDocs = r.externalDocs(v, at)
		case "jsonSchemaDialect", "webhooks":
			// 3.1 keys the served document writes itself or does not hold.
		default:
			if strings.HasPrefix(key, "x-") {
				ext(&d.Extensions, key, v)
				return
			}
			r.fail(v, at, "unknown field %q of the document", key)
		}
	})
	if !seenVersion && len(r.errs) == 0 {
		r.fail(n, "", "no openapi field: is this an OpenAPI 3 document?")
	}
}

func (r *reader) seq(n *yaml.Node, at string, fn func(e *yaml.Node, at string)) {
	if n.Kind != yaml.SequenceNode {
		r.fail(n, at, "must be an array")
		return
	}
	r.mark(n, at)
	for i, e := range n.Content {
		if e.Kind == yaml.AliasNode {
			e = e.Alias
		}
		p := at + "/" + strconv.Itoa(i)
		r.mark(e, p)
		fn(e, p)
	}
}

func (r *reader) info(n *yaml.Node, at string) {
	i := &r.p.Info
	r.fields(n, at, func(key string, v *yaml.Node, at string) {
		switch key {
		case "title":
			i.Title = r.str(v, at)
		case "summary":
			i.Summary = r.str(v, at)
		case "description":
			i.Description = r.str(v, at)
		case "termsOfService":
			i.TermsOfService = r.str(v, at)
		case "version":
			i.Version = r.str(v, at)
		case "contact":
			c := &Contact{}
			r.fields(v, at, func(key string, v *yaml.Node, at string) {
				switch key {
				case "name":
					c.Name = r.str(v, at)
				case "url":
					c.URL = r.str(v, at)
				case "email":
					c.Email = r.str(v, at)
				}
			})
			i.Contact = c
		case "license":
			l := &License{}
			r.fields(v, at, func(key string, v *yaml.Node, at string) {
				switch key {
				case "name":
					l.Name = r.str(v, at)
				case "url":
					l.URL = r.str(v, at)
				case "identifier":
					l.Identifier = r.str(v, at)
				}
			})
			i.License = l
		default:
			if strings.HasPrefix(key, "x-") {
				ext(&i.Extensions, key, v)
			}
		}
	})
}

func (r *reader) servers(n *yaml.Node, at string) []Server {
	var out []Server
	r.seq(n, at, func(e *yaml.Node, at string) {
		var s Server
		r.fields(e, at, func(key string, v *yaml.Node, at string) {
			switch key {
			case "url":
				s.URL = r.str(v, at)
			case "description":
				s.Description = r.str(v, at)
			case "variables":
				s.Variables = map[string]ServerVariable{}
				r.fields(v, at, func(name string, v *yaml.Node, at string) {
					var sv ServerVariable
					r.fields(v, at, func(key string, v *yaml.Node, at string) {
						switch key {
						case "default":
							sv.Default = r.str(v, at)
						case "description":
							sv.Description = r.str(v, at)
						case "enum":
							sv.Enum = r.strings(v, at)
						}
					})
					s.Variables[name] = sv
				})
			}
		})
		out = append(out, s)
	})
	return out
}

func (r *reader) externalDocs(n *yaml.Node, at string) *ExternalDocs {
	e := &ExternalDocs{}
	r.fields(n, at, func(key string, v *yaml.Node, at string) {
		switch key {
		case "url":
			e.URL = r.str(v, at)
		case "description":
			e.Description = r.str(v, at)
		}
	})
	return e
}

func (r *reader) security(n *yaml.Node, at string) []SecurityRequirement {
	out := []SecurityRequirement{}
	r.seq(n, at, func(e *yaml.Node, at string) {
		req := SecurityRequirement{}
		r.fields(e, at, func(name string, v *yaml.Node, at string) {
			req[name] = r.strings(v, at)
			r.refs = append(r.refs, refUse{kind: "securitySchemes", ref: "#/components/securitySchemes/" + name, at: at, node: v})
		})
		out = append(out, req)
	})
	return out
}

func (r *reader) pathItem(n *yaml.Node, at string) *PathItem {
	item := &PathItem{}
	r.fields(n, at, func(key string, v *yaml.Node, at string) {
		switch key {
		case "summary":
			item.Summary = r.str(v, at)
		case "description":
			item.Description = r.str(v, at)
		case "parameters":
			item.Parameters = r.parameters(v, at)
		case "$ref":
			r.fail(v, at, "path item references are not supported: write the operations in place")
		case "servers":
		default:
			if strings.HasPrefix(key, "x-") {
				return
			}
			if !item.SetOperation(key, nil) || strings.ToLower(key) != key {
				r.fail(v, at, "unknown field %q of a path item", key)
				return
			}
			item.SetOperation(key, r.operation(v, at))
		}
	})
	return item
}

func (r *reader) operation(n *yaml.Node, at string) *Operation {
	op := &Operation{Responses: map[string]*Response{}}
	r.fields(n, at, func(key string, v *yaml.Node, at string) {
		switch key {
		case "tags":
			op.Tags = r.strings(v, at)
		case "summary":
			op.Summary = r.str(v, at)
		case "description":
			op.Description = r.str(v, at)
		case "operationId":
			op.OperationID = r.str(v, at)
		case "parameters":
			op.Parameters = r.parameters(v, at)
		case "requestBody":
			op.RequestBody = r.requestBody(v, at)
		case "responses":
			r.fields(v, at, func(code string, v *yaml.Node, at string) {
				if strings.HasPrefix(code, "x-") {
					return
				}
				if !validStatus(code) {
					r.fail(v, at, "response %q: want a status code (200), a range (4XX) or default", code)
					return
				}
				op.Responses[code] = r.response(v, at)
			})
		case "deprecated":
			op.Deprecated = r.boolean(v, at)
		case "security":
			op.Security = r.security(v, at)
		case "externalDocs":
			op.ExternalDocs = r.externalDocs(v, at)
		case "callbacks", "servers":
			ext(&op.Extensions, key, v)
		default:
			if strings.HasPrefix(key, "x-") {
				ext(&op.Extensions, key, v)
				return
			}
			r.fail(v, at, "unknown field %q of an operation", key)
		}
	})
	if len(op.Responses) == 0 {
		r.fail(n, at, "the operation has no responses")
	}
	return op
}

func validStatus(code string) bool {
	if code == "default" {
		return true
	}
	if len(code) != 3 || code[0] < '1' || code[0] > '5' {
		return false
	}
	rest := strings.ToUpper(code[1:])
	if rest == "XX" {
		return true
	}
	_, err := strconv.Atoi(code)
	return err == nil
}

func (r *reader) parameters(n *yaml.Node, at string) []*Parameter {
	var out []*Parameter
	r.seq(n, at, func(e *yaml.Node, at string) {
		out = append(out, r.parameter(e, at))
	})
	return out
}

func (r *reader) ref(kind string, v *yaml.Node, at string) string {
	ref := r.str(v, at)
	r.refs = append(r.refs, refUse{kind: kind, ref: ref, at: at, node: v})
	return ref
}

func (r *reader) parameter(n *yaml.Node, at string) *Parameter {
	p := &Parameter{}
	r.fields(n, at, func(key string, v *yaml.Node, at string) {
		switch key {
		case "$ref":
			p.Ref = r.ref("parameters", v, at)
		case "name":
			p.Name = r.str(v, at)
		case "in":
			p.In = r.str(v, at)
			if !slices.Contains([]string{"path", "query", "header", "cookie"}, p.In) {
				r.fail(v, at, "in %q: want path, query, header or cookie", p.In)
			}
		case "description":
			p.Description = r.str(v, at)
		case "required":
			p.Required = r.boolean(v, at)
		case "deprecated":
			p.Deprecated = r.boolean(v, at)
		case "style":
			p.Style = r.str(v, at)
		case "explode":
			b := r.boolean(v, at)
			p.Explode = &b
		case "schema":
			p.Schema = r.schema(v, at)
		case "content":
			p.Content = r.content(v, at)
		case "example":
			p.Example = value(v)
		case "allowEmptyValue", "allowReserved", "examples":
		default:
			if !strings.HasPrefix(key, "x-") {
				r.fail(v, at, "unknown field %q of a parameter", key)
			}
		}
	})
	if p.Ref == "" && (p.Name == "" || p.In == "") {
		r.fail(n, at, "a parameter needs a name and in")
	}
	if p.In == "path" && !p.Required && p.Ref == "" {
		r.fail(n, at, "path parameter %q must be required: true", p.Name)
	}
	return p
}

func (r *reader) requestBody(n *yaml.Node, at string) *RequestBody {
	b := &RequestBody{}
	r.fields(n, at, func(key string, v *yaml.Node, at string) {
		switch key {
		case "$ref":
			b.Ref = r.ref("requestBodies", v, at)
		case "description":
			b.Description = r.str(v, at)
		case "required":
			b.Required = r.boolean(v, at)
		case "content":
			b.Content = r.content(v, at)
		default:
			if strings.HasPrefix(key, "x-") {
				ext(&b.Extensions, key, v)
				return
			}
			r.fail(v, at, "unknown field %q of a request body", key)
		}
	})
	return b
}

func (r *reader) response(n *yaml.Node, at string) *Response {
	resp := &Response{}
	r.fields(n, at, func(key string, v *yaml.Node, at string) {
		switch key {
		case "$ref":
			resp.Ref = r.ref("responses", v, at)
		case "description":
			resp.Description = r.str(v, at)
		case "headers":
			resp.Headers = map[string]*Header{}
			r.fields(v, at, func(name string, v *yaml.Node, at string) {
				resp.Headers[name] = r.header(v, at)
			})
		case "content":
			resp.Content = r.content(v, at)
		case "links":
		default:
			if strings.HasPrefix(key, "x-") {
				ext(&resp.Extensions, key, v)
				return
			}
			r.fail(v, at, "unknown field %q of a response", key)
		}
	})
	return resp
}

func (r *reader) header(n *yaml.Node, at string) *Header {
	h := &Header{}
	r.fields(n, at, func(key string, v *yaml.Node, at string) {
		switch key {
		case "description":
			h.Description = r.str(v, at)
		case "required":
			h.Required = r.boolean(v, at)
		case "schema":
			h.Schema = r.schema(v, at)
		case "$ref":
			r.ref("headers", v, at)
		}
	})
	return h
}

func (r *reader) content(n *yaml.Node, at string) map[string]*MediaType {
	out := map[string]*MediaType{}
	r.fields(n, at, func(ct string, v *yaml.Node, at string) {
		m := &MediaType{}
		r.fields(v, at, func(key string, v *yaml.Node, at string) {
			switch key {
			case "schema":
				m.Schema = r.schema(v, at)
			case "example":
				m.Example = value(v)
			}
		})
		out[ct] = m
	})
	return out
}

func (r *reader) components(n *yaml.Node, at string) {
	c := &r.p.Components
	r.fields(n, at, func(key string, v *yaml.Node, at string) {
		switch key {
		case "schemas":
			c.Schemas = map[string]*schema.Schema{}
			r.fields(v, at, func(name string, v *yaml.Node, at string) {
				c.Schemas[name] = r.schema(v, at)
			})
		case "responses":
			c.Responses = map[string]*Response{}
			r.fields(v, at, func(name string, v *yaml.Node, at string) { c.Responses[name] = r.response(v, at) })
		case "parameters":
			c.Parameters = map[string]*Parameter{}
			r.fields(v, at, func(name string, v *yaml.Node, at string) { c.Parameters[name] = r.parameter(v, at) })
		case "requestBodies":
			c.RequestBodies = map[string]*RequestBody{}
			r.fields(v, at, func(name string, v *yaml.Node, at string) { c.RequestBodies[name] = r.requestBody(v, at) })
		case "headers":
			c.Headers = map[string]*Header{}
			r.fields(v, at, func(name string, v *yaml.Node, at string) { c.Headers[name] = r.header(v, at) })
		case "securitySchemes":
			c.SecuritySchemes = map[string]*SecurityScheme{}
			r.fields(v, at, func(name string, v *yaml.Node, at string) { c.SecuritySchemes[name] = r.securityScheme(v, at) })
		}
	})
}

func (r *reader) securityScheme(n *yaml.Node, at string) *SecurityScheme {
	s := &SecurityScheme{}
	flow := func(n *yaml.Node, at string) *OAuthFlow {
		f := &OAuthFlow{Scopes: map[string]string{}}
		r.fields(n, at, func(key string, v *yaml.Node, at string) {
			switch key {
			case "authorizationUrl":
				f.AuthorizationURL = r.str(v, at)
			case "tokenUrl":
				f.TokenURL = r.str(v, at)
			case "refreshUrl":
				f.RefreshURL = r.str(v, at)
			case "scopes":
				r.fields(v, at, func(k string, v *yaml.Node, at string) { f.Scopes[k] = r.str(v, at) })
			}
		})
		return f
	}
	r.fields(n, at, func(key string, v *yaml.Node, at string) {
		switch key {
		case "type":
			s.Type = r.str(v, at)
		case "description":
			s.Description = r.str(v, at)
		case "name":
			s.Name = r.str(v, at)
		case "in":
			s.In = r.str(v, at)
		case "scheme":
			s.Scheme = r.str(v, at)
		case "bearerFormat":
			s.BearerFormat = r.str(v, at)
		case "openIdConnectUrl":
			s.OpenIDConnectURL = r.str(v, at)
		case "flows":
			s.Flows = &OAuthFlows{}
			r.fields(v, at, func(key string, v *yaml.Node, at string) {
				switch key {
				case "implicit":
					s.Flows.Implicit = flow(v, at)
				case "password":
					s.Flows.Password = flow(v, at)
				case "clientCredentials":
					s.Flows.ClientCredentials = flow(v, at)
				case "authorizationCode":
					s.Flows.AuthorizationCode = flow(v, at)
				}
			})
		}
	})
	return s
}

// escapePointer escapes a JSON pointer token.
func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// componentNames lists the names of components of kind, to resolve
// references against.
func (r *reader) componentNames(kind string) map[string]bool {
	c := &r.p.Components
	out := map[string]bool{}
	add := func(keys []string) {
		for _, k := range keys {
			out[k] = true
		}
	}
	switch kind {
	case "schemas":
		add(slices.Collect(maps.Keys(c.Schemas)))
	case "responses":
		add(slices.Collect(maps.Keys(c.Responses)))
	case "parameters":
		add(slices.Collect(maps.Keys(c.Parameters)))
	case "requestBodies":
		add(slices.Collect(maps.Keys(c.RequestBodies)))
	case "headers":
		add(slices.Collect(maps.Keys(c.Headers)))
	case "securitySchemes":
		add(slices.Collect(maps.Keys(c.SecuritySchemes)))
	}
	return out
}

// checkRefs reports references to nothing, to other files, and schemas
// that are nothing but references to each other in a cycle.
func (r *reader) checkRefs() {
	names := map[string]map[string]bool{}
	for _, u := range r.refs {
		if names[u.kind] == nil {
			names[u.kind] = r.componentNames(u.kind)
		}
		prefix := "#/components/" + u.kind + "/"
		switch {
		case !strings.HasPrefix(u.ref, "#"):
			r.fail(u.node, u.at, "$ref %q points into another file; only references within the document (#/components/...) are supported", u.ref)
		case !strings.HasPrefix(u.ref, prefix):
			r.fail(u.node, u.at, "$ref %q: want a reference to %s<name>", u.ref, prefix)
		case !names[u.kind][unescapePointer(strings.TrimPrefix(u.ref, prefix))]:
			what := "no such " + strings.TrimSuffix(u.kind, "s")
			if u.kind == "securitySchemes" {
				what = "no such security scheme in components.securitySchemes"
				u.ref = strings.TrimPrefix(u.ref, prefix)
			}
			r.fail(u.node, u.at, "$ref %q: %s%s", u.ref, what, suggestName(strings.TrimPrefix(u.ref, prefix), names[u.kind]))
		}
	}
	// A schema that is only a $ref (or an allOf of one) to a schema that
	// leads back to it describes no value at all.
	schemas := r.p.Components.Schemas
	next := func(s *schema.Schema) []string {
		var out []string
		if s == nil {
			return nil
		}
		if s.Ref != "" {
			out = append(out, strings.TrimPrefix(s.Ref, schema.RefPrefix))
		}
		for _, a := range s.AllOf {
			if a != nil && a.Ref != "" {
				out = append(out, strings.TrimPrefix(a.Ref, schema.RefPrefix))
			}
		}
		return out
	}
	reported := map[string]bool{}
	for _, start := range slices.Sorted(maps.Keys(schemas)) {
		path := []string{start}
		var walk func(name string) bool
		seen := map[string]bool{start: true}
		walk = func(name string) bool {
			for _, n := range next(schemas[name]) {
				if n == start {
					path = append(path, n)
					return true
				}
				if seen[n] {
					continue
				}
				seen[n] = true
				path = append(path, n)
				if walk(n) {
					return true
				}
				path = path[:len(path)-1]
			}
			return false
		}
		if walk(start) && !reported[start] {
			for _, n := range path {
				reported[n] = true
			}
			at := "/components/schemas/" + escapePointer(start)
			r.failAt(at, "schema %q refers to itself through %s with nothing in between: it describes no value (recursion must go through properties or items)", start, strings.Join(path, " -> "))
		}
	}
}

func (r *reader) failAt(at, format string, args ...any) {
	pos := r.p.Pos(at)
	r.errs = append(r.errs, &ParseError{Name: r.p.Name, Line: pos.Line, Column: pos.Column, Pointer: at, Msg: fmt.Sprintf(format, args...)})
}

func unescapePointer(s string) string {
	return strings.NewReplacer("~1", "/", "~0", "~").Replace(s)
}

func suggestName(name string, known map[string]bool) string {
	best, bestD := "", 4
	for k := range known {
		if d := editDistance(strings.ToLower(name), strings.ToLower(k)); d < bestD || d == bestD && k < best {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// checkOperations reports duplicate operationIds, path templates that
// match the same requests, and path parameters that do not match the
// template.
func (r *reader) checkOperations() {
	d := r.p.Document
	ids := map[string]string{}
	shapes := map[string]string{}
	for _, path := range slices.Sorted(maps.Keys(d.Paths)) {
		at := "/paths/" + escapePointer(path)
		shape := templateShape.ReplaceAllString(path, "{}")
		if prev, ok := shapes[shape]; ok {
			r.failAt(at, "path %q matches the same requests as %q (at %s): a request could not tell them apart", path, prev, r.p.At("/paths/"+escapePointer(prev)))
		} else {
			shapes[shape] = path
		}
		names := templateNames(path)
		item := d.Paths[path]
		for _, m := range Methods {
			op := item.Operation(m)
			if op == nil {
				continue
			}
			opAt := at + "/" + strings.ToLower(m)
			if op.OperationID != "" {
				if prev, dup := ids[op.OperationID]; dup {
					r.failAt(opAt+"/operationId", "operationId %q is also the id of the operation at %s", op.OperationID, r.p.At(prev+"/operationId"))
				} else {
					ids[op.OperationID] = opAt
				}
			}
			seen := map[string]bool{}
			inPath := map[string]bool{}
			for i, p := range r.resolvedParams(item.Parameters, op.Parameters) {
				_ = i
				key := p.In + " " + p.Name
				if seen[key] {
					r.failAt(opAt+"/parameters", "%s parameter %q is declared twice", p.In, p.Name)
				}
				seen[key] = true
				if p.In == "path" {
					inPath[p.Name] = true
					if !slices.Contains(names, p.Name) {
						r.failAt(opAt+"/parameters", "path parameter %q is not in the template %s", p.Name, path)
					}
				}
			}
			for _, n := range names {
				if !inPath[n] {
					r.failAt(opAt, "the template %s has {%s} but the operation declares no path parameter %q", path, n, n)
				}
			}
		}
	}
}

var templateShape = regexp.MustCompile(`\{[^}/]*\}`)

func templateNames(path string) []string {
	var out []string
	for _, m := range templateShape.FindAllString(path, -1) {
		out = append(out, m[1:len(m)-1])
	}
	return out
}

// resolvedParams returns the operation's parameters with references
// followed, the path item's ones included unless the operation overrides
// them (same name and in).
func (r *reader) resolvedParams(shared, own []*Parameter) []*Parameter {
	return r.p.Parameters(shared, own)
}

// Parameters returns the parameters an operation reads: the path item's
// shared ones (unless the operation declares one of the same name and
// in) and its own, references followed.
func (d *Document) Parameters(shared, own []*Parameter) []*Parameter {
	var out []*Parameter
	resolve := func(p *Parameter) *Parameter {
		for i := 0; p != nil && p.Ref != "" && i < 8; i++ {
			p = d.Components.Parameters[refName(p.Ref)]
		}
		return p
	}
	mine := map[string]bool{}
	for _, p := range own {
		if p = resolve(p); p != nil {
			mine[p.In+" "+p.Name] = true
			out = append(out, p)
		}
	}
	for _, p := range shared {
		if p = resolve(p); p != nil && !mine[p.In+" "+p.Name] {
			out = append(out, p)
		}
	}
	return out
}

// ResolveBody returns the request body b refers to (b itself when it is
// not a reference).
func (d *Document) ResolveBody(b *RequestBody) *RequestBody {
	for i := 0; b != nil && b.Ref != "" && i < 8; i++ {
		b = d.Components.RequestBodies[refName(b.Ref)]
	}
	return b
}

// ResolveResponse returns the response r refers to (r itself when it is
// not a reference).
func (d *Document) ResolveResponse(r *Response) *Response {
	for i := 0; r != nil && r.Ref != "" && i < 8; i++ {
		r = d.Components.Responses[refName(r.Ref)]
	}
	return r
}

func refName(ref string) string {
	return unescapePointer(ref[strings.LastIndexByte(ref, '/')+1:])
}
