package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

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
	needsInput := len(plan.params) > 0 || plan.body != nil || plan.strictQuery
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
	if rv := reflect.ValueOf(out); rv.Kind() == reflect.Slice && rv.Len() > streamMin {
		return s.writeJSONArray(c, rt.Success.Status, rv)
	}
	return writeJSON(c, rt.Success.Status, out, int64(s.cfg.MaxResponseSize))
}

// JSONAppender is a handler output that writes its own JSON, as
// data.Projected does: the server appends it to its buffer and sends
// it as it is (compact, no trailing newline), without the second pass
// encoding/json gives the output of a MarshalJSON.
type JSONAppender interface {
	AppendJSON(dst []byte) ([]byte, error)
}

// writeJSON writes v, encoded at once; max (when > 0) caps the size of
// the encoding.
func writeJSON(c echo.Context, status int, v any, max int64) error {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 64<<10 {
			bufPool.Put(buf)
		}
	}()
	var b []byte
	if a, ok := v.(JSONAppender); ok {
		var err error
		if b, err = a.AppendJSON(buf.AvailableBuffer()); err != nil {
			return fmt.Errorf("rest: write the response: %w", err)
		}
	} else {
		enc := json.NewEncoder(buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return fmt.Errorf("rest: write the response: %w", err)
		}
		b = buf.Bytes()
		b = b[:len(b)-1] // Encode's newline
	}
	if max > 0 && int64(len(b)) > max {
		return responseTooLarge(max)
	}
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
	switch {
	case b.kind == bodyText:
		want = "[text/plain]"
	case len(b.accepts) > 0:
		want = "[" + strings.Join(b.accepts, ",") + "]"
	}
	return &Error{Status: http.StatusUnsupportedMediaType, Code: CodeUnsupportedMediaType,
		Message: fmt.Sprintf("Content-type %s does not match %s.", ct, want)}
}
