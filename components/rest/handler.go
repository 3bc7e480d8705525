package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"slices"

	"strconv"
	"strings"
	"sync"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/labstack/echo/v4"

	"github.com/backplane-dev/backplane/components/schema"
	"github.com/backplane-dev/backplane/kernel"
)

// Request is what a handler knows of the HTTP exchange. The context a
// handler receives carries it: rest.RequestFrom(ctx).
type Request struct {
	context.Context
	echo  echo.Context
	route *Route
	srv   *Server
	scope *kernel.Context
}

type requestKey struct{}

// Value returns the Request itself for its own key.
func (r *Request) Value(key any) any {
	if key == (requestKey{}) {
		return r
	}
	return r.Context.Value(key)
}

// RequestFrom returns the request a handler's context carries, or nil
// outside a request.
func RequestFrom(ctx context.Context) *Request {
	if r, ok := ctx.(*Request); ok {
		return r
	}
	r, _ := ctx.Value(requestKey{}).(*Request)
	return r
}

// Echo returns echo's context for the request.
func (r *Request) Echo() echo.Context { return r.echo }

// HTTP returns the *http.Request.
func (r *Request) HTTP() *http.Request { return r.echo.Request() }

// Response returns the response writer; a handler may set headers on it.
func (r *Request) Response() *echo.Response { return r.echo.Response() }

// Route returns the matched route.
func (r *Request) Route() *Route { return r.route }

// Scope returns a request-scoped child of the application context,
// created on first use and closed when the request ends. Bindings in
// kernel.Request scope resolved from it live as long as the request.
func (r *Request) Scope() *kernel.Context {
	if r.scope == nil {
		r.scope = r.srv.app.Context().NewChild("request", kernel.Request)
	}
	return r.scope
}

func (r *Request) end() {
	if r.scope != nil {
		r.scope.Close()
		r.scope = nil
	}
}

func typedHandler[I, O any](s *Server, rt *Route, h func(context.Context, *I) (O, error)) echo.HandlerFunc {
	plan := rt.in
	needsInput := len(plan.params) > 0 || plan.body != nil
	return func(c echo.Context) error {
		in := new(I)
		if needsInput {
			if err := s.bindInput(c, plan, reflect.ValueOf(in).Elem()); err != nil {
				return err
			}
		}
		req := &Request{Context: c.Request().Context(), echo: c, route: rt, srv: s}
		defer req.end()
		var out O
		if len(rt.chain) == 0 {
			// No interceptor applies: no invocation is built.
			var err error
			if out, err = h(req, in); err != nil {
				return err
			}
		} else {
			// One allocation holds the invocation and its argument.
			call := &struct {
				inv  kernel.Invocation
				args [1]any
			}{args: [1]any{in}}
			call.inv = kernel.Invocation{Target: rt.Owner, Method: rt.op, Binding: rt.binding, Args: call.args[:], Detail: rt}
			res, err := kernel.Invoke(req, &call.inv, func(ctx context.Context) (any, error) {
				return h(ctx, in)
			}, rt.chain...)
			if err != nil {
				return err
			}
			o, ok := res.(O)
			if !ok && res != nil {
				return fmt.Errorf("rest: an interceptor of %s %s returned %T, want %s", rt.Method, rt.Path, res, reflect.TypeFor[O]())
			}
			out = o
		}
		if rt.noContent {
			return c.NoContent(rt.Success.Status)
		}
		return s.write(c, rt, out)
	}
}

var jsonContentType = []string{echo.MIMEApplicationJSON}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// write sends a handler's output: JSON for values, text for strings,
// bytes as they are.
func (s *Server) write(c echo.Context, rt *Route, out any) error {
	switch v := out.(type) {
	case string:
		ct := rt.contentType
		if ct == "" {
			ct = echo.MIMETextPlainCharsetUTF8
		}
		return c.Blob(rt.Success.Status, ct, []byte(v))
	case []byte:
		ct := rt.contentType
		if ct == "" {
			ct = echo.MIMEOctetStream
		}
		return c.Blob(rt.Success.Status, ct, v)
	}
	return writeJSON(c, rt.Success.Status, out)
}

func writeJSON(c echo.Context, status int, v any) error {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 64<<10 {
			bufPool.Put(buf)
		}
	}()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("rest: write the response: %w", err)
	}
	b := buf.Bytes()
	b = b[:len(b)-1] // Encode's newline
	h := c.Response().Header()
	h[echo.HeaderContentType] = jsonContentType
	c.Response().WriteHeader(status)
	if c.Request().Method == http.MethodHead {
		return nil
	}
	_, err := c.Response().Write(b)
	return err
}

// invalidParam is LoopBack's 400 for a parameter that cannot be read.
func invalidParam(name, raw string, details any) *Error {
	q, _ := json.Marshal(raw)
	return &Error{Status: 400, Code: CodeInvalidParameter, Details: details,
		Message: fmt.Sprintf("Invalid data %s for parameter %q.", q, name)}
}

func missingParam(name string) *Error {
	return &Error{Status: 400, Code: CodeMissingParameter, Message: fmt.Sprintf("Required parameter %s is missing!", name)}
}

// bindInput fills the input struct from the request.
func (s *Server) bindInput(c echo.Context, plan *inputPlan, dst reflect.Value) error {
	var query url.Values
	for _, p := range plan.params {
		var raws []string
		switch p.in {
		case "path":
			raw := c.Param(p.name)
			if strings.IndexByte(raw, '/') >= 0 {
				// echo lets a route's last parameter take the rest of
				// the path (/todos/{id} matches /todos/2/todo-list):
				// that path names no endpoint.
				return echo.ErrNotFound
			}
			// echo routes on the escaped path only when the URL has one
			// (RawPath); then its parameters are still escaped.
			if c.Request().URL.RawPath != "" && strings.IndexByte(raw, '%') >= 0 {
				un, err := url.PathUnescape(raw)
				if err != nil {
					return invalidParam(p.name, raw, nil)
				}
				raw = un
			}
			raws = []string{raw}
		case "query":
			if query == nil {
				q, err := url.ParseQuery(c.Request().URL.RawQuery)
				if err != nil {
					// A bad escape would silently drop its parameter:
					// a filter the client sent would not apply.
					return &Error{Status: 400, Code: CodeInvalidParameter,
						Message: fmt.Sprintf("The query string is malformed: %v.", err), Err: err}
				}
				query = q
			}
			raws = query[p.name]
		case "header":
			raws = c.Request().Header.Values(p.name)
		case "cookie":
			if ck, err := c.Cookie(p.name); err == nil {
				raws = []string{ck.Value}
			}
		}
		if err := s.bindParam(p, raws, query, dst.FieldByIndex(p.index)); err != nil {
			return err
		}
	}
	if plan.body != nil {
		return s.bindBody(c, plan.body, dst.FieldByIndex(plan.body.index))
	}
	return nil
}

func (s *Server) bindParam(p *param, raws []string, query url.Values, field reflect.Value) error {
	target := field
	alloc := func() {
		if p.ptr {
			nv := reflect.New(p.elem)
			field.Set(nv)
			target = nv.Elem()
		}
	}
	switch p.kind {
	case kSelf:
		present := len(raws) > 0
		if !present {
			pre := p.name + "["
			for k := range query {
				if strings.HasPrefix(k, pre) {
					present = true
					break
				}
			}
		}
		if !present {
			if p.required {
				return missingParam(p.name)
			}
			if p.ptr {
				return nil
			}
		}
		alloc()
		if err := target.Addr().Interface().(QueryUnmarshaler).UnmarshalQuery(p.name, query); err != nil {
			var sc statusCoder
			if errors.As(err, &sc) {
				return err
			}
			return &Error{Status: 400, Code: CodeInvalidParameter, Message: err.Error(), Err: err}
		}
		return nil
	case kObject:
		var tree any
		raw := ""
		if len(raws) > 0 {
			raw = raws[len(raws)-1]
			t, err := schema.Parse([]byte(raw), 0)
			if err != nil {
				return invalidParam(p.name, raw, map[string]any{"syntaxError": err.Error()})
			}
			tree = t
		} else {
			t, ok, err := Explode(p.name, query)
			if err != nil {
				return invalidParam(p.name, p.name+"[...]", map[string]any{"syntaxError": err.Error()})
			}
			if !ok {
				if p.required {
					return missingParam(p.name)
				}
				return nil
			}
			tree = coerceTree(s.schemas, p.schema, t)
			b, _ := json.Marshal(plainNumbers(tree))
			raw = string(b)
		}
		if d := p.valid.Validate(tree); len(d) > 0 {
			e := invalidParam(p.name, raw, d)
			if len(raws) == 0 {
				e.Message = fmt.Sprintf("Invalid data %s for parameter %q.", raw, p.name)
			}
			return e
		}
		alloc()
		if err := treeInto(tree, target); err != nil {
			return invalidParam(p.name, raw, nil)
		}
		return nil
	case kSlice:
		if len(raws) == 0 {
			if p.required {
				return missingParam(p.name)
			}
			return nil
		}
		if len(raws) == 1 && strings.HasPrefix(raws[0], "[") {
			tree, err := schema.Parse([]byte(raws[0]), 0)
			if err != nil {
				return invalidParam(p.name, raws[0], map[string]any{"syntaxError": err.Error()})
			}
			if d := p.valid.Validate(tree); len(d) > 0 {
				return invalidParam(p.name, raws[0], d)
			}
			alloc()
			if err := treeInto(tree, target); err != nil {
				return invalidParam(p.name, raws[0], nil)
			}
			return nil
		}
		et := p.elem.Elem()
		sl := reflect.MakeSlice(p.elem, 0, len(raws))
		tree := make([]any, 0, len(raws))
		for _, raw := range raws {
			v, tv, err := coerceScalar(et, raw)
			if err != nil {
				return invalidParam(p.name, raw, nil)
			}
			sl = reflect.Append(sl, v)
			tree = append(tree, tv)
		}
		if d := p.valid.Validate(tree); len(d) > 0 {
			return invalidParam(p.name, strings.Join(raws, ","), d)
		}
		alloc()
		target.Set(sl)
		return nil
	}
	if len(raws) == 0 || (p.in != "path" && raws[len(raws)-1] == "" && p.elem.Kind() != reflect.String) {
		if p.required {
			return missingParam(p.name)
		}
		return nil
	}
	raw := raws[len(raws)-1]
	if p.kind == kText {
		alloc()
		if err := target.Addr().Interface().(interface{ UnmarshalText([]byte) error }).UnmarshalText([]byte(raw)); err != nil {
			return invalidParam(p.name, raw, nil)
		}
		return nil
	}
	v, tv, err := coerceScalar(p.elem, raw)
	if err != nil {
		return invalidParam(p.name, raw, nil)
	}
	if d := p.valid.Validate(tv); len(d) > 0 {
		return invalidParam(p.name, raw, d)
	}
	alloc()
	target.Set(v)
	return nil
}

// BodyParser reads a request body of the media types it names into a
// parsed JSON tree (see [schema.Parse]) for validation. Parsers are an
// extension point ([BodyParsers]); JSON and urlencoded forms are built in.
type BodyParser interface {
	MediaTypes() []string
	// Parse reads body. s is the body's schema, for parsers of untyped
	// text (forms) that coerce by it.
	Parse(body []byte, s *schema.Schema, reg *schema.Registry) (any, error)
}

type jsonParser struct{}

func (jsonParser) MediaTypes() []string { return []string{echo.MIMEApplicationJSON} }
func (jsonParser) Parse(body []byte, _ *schema.Schema, _ *schema.Registry) (any, error) {
	return schema.Parse(body, 0)
}

type formParser struct{}

func (formParser) MediaTypes() []string { return []string{echo.MIMEApplicationForm} }
func (formParser) Parse(body []byte, s *schema.Schema, reg *schema.Registry) (any, error) {
	q, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, err
	}
	root := &schema.Object{}
	for _, k := range slices.Sorted(maps.Keys(q)) {
		name, rest, _ := strings.Cut(k, "[")
		if rest != "" {
			if _, done := root.Get(name); done {
				continue
			}
			t, _, err := Explode(name, q)
			if err != nil {
				return nil, err
			}
			root.Keys, root.Values = append(root.Keys, name), append(root.Values, t)
			continue
		}
		vals := q[k]
		root.Keys, root.Values = append(root.Keys, k), append(root.Values, vals[len(vals)-1])
	}
	return coerceTree(reg, s, root), nil
}

func (s *Server) bindBody(c echo.Context, b *bodyPlan, field reflect.Value) error {
	r := c.Request()
	limit := int64(s.cfg.BodyLimit)
	if limit > 0 && r.ContentLength > limit {
		return tooLarge(limit)
	}
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		buf := bufPool.Get().(*bytes.Buffer)
		buf.Reset()
		defer func() {
			if buf.Cap() <= 64<<10 {
				bufPool.Put(buf)
			}
		}()
		var rd io.Reader = r.Body
		if limit > 0 {
			rd = &io.LimitedReader{R: r.Body, N: limit + 1}
		}
		if _, err := buf.ReadFrom(rd); err != nil {
			return &Error{Status: 400, Code: "BODY_READ_FAILED", Message: "The request body could not be read.", Err: err}
		}
		body = buf.Bytes()
		if limit > 0 && int64(len(body)) > limit {
			return tooLarge(limit)
		}
	}
	if len(body) == 0 {
		if b.required {
			return &Error{Status: 400, Code: CodeMissingParameter, Message: "Request body is required"}
		}
		return nil
	}
	ct := r.Header.Get(echo.HeaderContentType)
	mt := ct
	if ct != "" {
		if m, _, err := mime.ParseMediaType(ct); err == nil {
			mt = m
		} else {
			return unsupported(ct, b)
		}
	}
	switch b.kind {
	case bodyRaw:
		field.SetBytes(bytes.Clone(body)) // the buffer goes back to the pool
		return nil
	case bodyText:
		if mt != "" && !strings.HasPrefix(mt, "text/") {
			return unsupported(ct, b)
		}
		field.SetString(string(body))
		return nil
	}
	var parser BodyParser
	switch {
	case mt == "" || mt == echo.MIMEApplicationJSON || strings.HasSuffix(mt, "+json"):
		parser = jsonParser{}
	default:
		parser = s.parsers[mt]
	}
	if parser == nil {
		return unsupported(ct, b)
	}
	tree, err := parser.Parse(body, b.schema, s.schemas)
	if err != nil {
		return &Error{Status: 400, Name: "SyntaxError", Code: CodeInvalidJSON, Message: "The request body is not valid JSON: " + err.Error() + ".", Err: err}
	}
	if d := b.valid.Validate(tree); len(d) > 0 {
		return &Error{Status: 422, Code: CodeValidationFailed, Details: d,
			Message: "The request body is invalid. See error object `details` property for more info."}
	}
	dst := field
	if field.Kind() == reflect.Pointer {
		dst = reflect.New(field.Type().Elem())
		field.Set(dst)
		dst = dst.Elem()
	}
	var derr error
	if parser == (jsonParser{}) {
		derr = jsonv2.Unmarshal(body, dst.Addr().Interface())
	}
	if derr != nil || parser != (jsonParser{}) {
		// 3.0 and 3e0 are integers to JSON Schema but not to a Go
		// decoder: write integral numbers as integers and try again.
		derr = treeInto(integral(tree), dst)
	}
	if derr != nil {
		d := schema.Detail{Path: "", Code: "type", Message: "must fit its property's type", Info: map[string]any{}}
		var se *jsonv2.SemanticError
		if errors.As(derr, &se) {
			d.Path = string(se.JSONPointer)
		}
		return &Error{Status: 422, Code: CodeValidationFailed, Err: derr, Details: []schema.Detail{d},
			Message: "The request body is invalid. See error object `details` property for more info."}
	}
	for _, idx := range b.serverSet {
		f := dst.FieldByIndex(idx)
		f.Set(reflect.Zero(f.Type())) // assigned by the server, never by a client
	}
	return nil
}

// integral rewrites numbers such as 3.0 or 3e0 as 3.
func integral(v any) any {
	switch x := v.(type) {
	case schema.Number:
		if strings.ContainsAny(string(x), ".eE") {
			f := x.Float()
			if f == float64(int64(f)) && f > -1<<53 && f < 1<<53 {
				return schema.Number(strconv.FormatInt(int64(f), 10))
			}
		}
	case *schema.Object:
		for i := range x.Values {
			x.Values[i] = integral(x.Values[i])
		}
	case []any:
		for i := range x {
			x[i] = integral(x[i])
		}
	}
	return v
}

func tooLarge(limit int64) *Error {
	return &Error{Status: http.StatusRequestEntityTooLarge, Code: CodeEntityTooLarge,
		Message: fmt.Sprintf("The request body is larger than the limit of %d bytes.", limit)}
}

func unsupported(ct string, b *bodyPlan) *Error {
	want := "[application/json]"
	switch b.kind {
	case bodyText:
		want = "[text/plain]"
	}
	return &Error{Status: http.StatusUnsupportedMediaType, Code: CodeUnsupportedMediaType,
		Message: fmt.Sprintf("Content-type %s does not match %s.", ct, want)}
}
