package rest

import (
	"bytes"
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

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/labstack/echo/v4"

	"github.com/backplane-dev/backplane/components/schema"
)

// Binding a request to a handler's input follows the plan made when the
// route was built (planInput): each parameter has its source (path,
// query, header, cookie) and its binder (by its Go type) chosen then, and
// the body its decoder (by its kind), so a request calls prepared
// functions instead of switching on tags and kinds.

// A paramSource reads a parameter's raw values from the request. query
// is the parsed query string when the route reads any (nil otherwise).
type paramSource func(c echo.Context, name string, query url.Values) ([]string, error)

// A paramBinder fills field from a parameter's raw values: it checks
// presence, decodes, validates, and only then sets the field.
type paramBinder func(s *Server, p *param, raws []string, query url.Values, field reflect.Value) error

// A bodyDecoder fills field from a non-empty body whose media type is mt
// (ct as sent).
type bodyDecoder func(s *Server, b *bodyPlan, body []byte, ct, mt string, field reflect.Value) error

var paramSources = map[string]paramSource{
	"path":   pathValue,
	"query":  queryValues,
	"header": headerValues,
	"cookie": cookieValue,
}

// paramBinders holds each parameter kind's binder.
var paramBinders = [...]paramBinder{
	kScalar: bindScalar,
	kSlice:  bindSlice,
	kObject: bindObject,
	kSelf:   bindSelf,
	kText:   bindText,
}

// bindInput fills the input struct from the request.
func (s *Server) bindInput(c echo.Context, plan *inputPlan, dst reflect.Value) error {
	var query url.Values
	if plan.strictQuery {
		q, err := parseQuery(c)
		if err != nil {
			return err
		}
		if err := plan.checkQuery(q); err != nil {
			return err
		}
		query = q
	}
	for i, p := range plan.params {
		if i == plan.firstQuery && query == nil {
			q, err := parseQuery(c)
			if err != nil {
				return err
			}
			query = q
		}
		raws, err := p.source(c, p.name, query)
		if err != nil {
			return err
		}
		if err := p.bind(s, p, raws, query, dst.FieldByIndex(p.index)); err != nil {
			return err
		}
	}
	if plan.body != nil {
		return s.bindBody(c, plan.body, dst.FieldByIndex(plan.body.index))
	}
	return nil
}

func parseQuery(c echo.Context) (url.Values, error) {
	q, err := url.ParseQuery(c.Request().URL.RawQuery)
	if err != nil {
		// A bad escape would silently drop its parameter: a filter the
		// client sent would not apply.
		return nil, &Error{Status: 400, Code: CodeInvalidParameter,
			Message: fmt.Sprintf("The query string is malformed: %v.", err), Err: err}
	}
	return q, nil
}

// checkQuery refuses the query parameters a StrictQuery route does not
// declare, naming the first (in sorted order, so the answer is stable).
func (plan *inputPlan) checkQuery(q url.Values) error {
	var unknown []string
	for k, vs := range q {
		if !plan.declaresQuery(k) {
			unknown = append(unknown, k)
			continue
		}
		if vs[len(vs)-1] == "" {
			// ?where= is not "no where": the client meant to say
			// something and said nothing.
			return &Error{Status: 400, Code: CodeInvalidParameter,
				Message: fmt.Sprintf("Query parameter %q is empty: give it a value, or leave it out to mean every entity.", k)}
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	var known []string
	for _, p := range plan.params {
		if p.in == "query" {
			known = append(known, p.name)
		}
	}
	msg := fmt.Sprintf("Unknown query parameter %q: this route writes every entity its parameters select, so it accepts only %s.", unknown[0], listOr(known))
	return &Error{Status: 400, Code: CodeInvalidParameter, Message: msg,
		Details: map[string]any{"unknownParameters": unknown, "knownParameters": known}}
}

func (plan *inputPlan) declaresQuery(key string) bool {
	for _, p := range plan.params {
		if p.in != "query" {
			continue
		}
		if key == p.name || strings.HasPrefix(key, p.name+"[") {
			return true
		}
	}
	return false
}

// listOr writes names as "a", "a or b", "a, b or c"; "no query
// parameter" for none.
func listOr(names []string) string {
	if len(names) == 0 {
		return "no query parameter"
	}
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

func pathValue(c echo.Context, name string, _ url.Values) ([]string, error) {
	raw := c.Param(name)
	if strings.IndexByte(raw, '/') >= 0 {
		// echo lets a route's last parameter take the rest of the path
		// (/todos/{id} matches /todos/2/todo-list): that path names no
		// endpoint.
		return nil, echo.ErrNotFound
	}
	// echo routes on the escaped path only when the URL has one
	// (RawPath); then its parameters are still escaped.
	if c.Request().URL.RawPath != "" && strings.IndexByte(raw, '%') >= 0 {
		un, err := url.PathUnescape(raw)
		if err != nil {
			return nil, invalidParam(name, raw, nil)
		}
		raw = un
	}
	return []string{raw}, nil
}

func queryValues(_ echo.Context, name string, query url.Values) ([]string, error) {
	return query[name], nil
}

func headerValues(c echo.Context, name string, _ url.Values) ([]string, error) {
	return c.Request().Header.Values(name), nil
}

func cookieValue(c echo.Context, name string, _ url.Values) ([]string, error) {
	if ck, err := c.Cookie(name); err == nil {
		return []string{ck.Value}, nil
	}
	return nil, nil
}

// target is where a parameter's value goes: field itself, or a new value
// field points to. Call it once the value is known to be good, so a
// rejected parameter leaves the field untouched.
func target(p *param, field reflect.Value) reflect.Value {
	if !p.ptr {
		return field
	}
	nv := reflect.New(p.elem)
	field.Set(nv)
	return nv.Elem()
}

// bindSelf: a QueryUnmarshaler reads the whole query.
func bindSelf(_ *Server, p *param, raws []string, query url.Values, field reflect.Value) error {
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
	if err := target(p, field).Addr().Interface().(QueryUnmarshaler).UnmarshalQuery(p.name, query); err != nil {
		var sc statusCoder
		if errors.As(err, &sc) {
			return err
		}
		return &Error{Status: 400, Code: CodeInvalidParameter, Message: err.Error(), Err: err}
	}
	return nil
}

// bindObject: a struct, map or interface from JSON text (?p={"a":1}) or
// exploded keys (?p[a]=1).
func bindObject(s *Server, p *param, raws []string, query url.Values, field reflect.Value) error {
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
		tree = coerceTree(p.reg, p.schema, t)
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
	if err := treeInto(tree, target(p, field)); err != nil {
		return invalidParam(p.name, raw, nil)
	}
	return nil
}

// bindSlice: repeated values (?id=1&id=2) or one JSON array (?id=[1,2]).
func bindSlice(_ *Server, p *param, raws []string, _ url.Values, field reflect.Value) error {
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
		if err := treeInto(tree, target(p, field)); err != nil {
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
	target(p, field).Set(sl)
	return nil
}

// lastRaw is a scalar parameter's value, the last one sent; ok is false
// when there is none (an empty query or header value counts as none,
// except for text).
func lastRaw(p *param, raws []string) (raw string, ok bool) {
	if len(raws) == 0 || (p.in != "path" && raws[len(raws)-1] == "" && p.elem.Kind() != reflect.String) {
		return "", false
	}
	return raws[len(raws)-1], true
}

// bindText: an encoding.TextUnmarshaler.
func bindText(_ *Server, p *param, raws []string, _ url.Values, field reflect.Value) error {
	raw, ok := lastRaw(p, raws)
	if !ok {
		if p.required {
			return missingParam(p.name)
		}
		return nil
	}
	if err := target(p, field).Addr().Interface().(interface{ UnmarshalText([]byte) error }).UnmarshalText([]byte(raw)); err != nil {
		return invalidParam(p.name, raw, nil)
	}
	return nil
}

// bindScalar: a string, number, boolean or time.
func bindScalar(_ *Server, p *param, raws []string, _ url.Values, field reflect.Value) error {
	raw, ok := lastRaw(p, raws)
	if !ok {
		if p.required {
			return missingParam(p.name)
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
	target(p, field).Set(v)
	return nil
}

// bindBody reads the body, within the server's limit, and hands it to the
// body's decoder.
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
	return b.decode(s, b, body, ct, mt, field)
}

// decodeRaw: a []byte body takes the bytes as sent, of any media type.
func decodeRaw(_ *Server, _ *bodyPlan, body []byte, _, _ string, field reflect.Value) error {
	field.SetBytes(bytes.Clone(body)) // the buffer goes back to the pool
	return nil
}

// decodeText: a string body takes text/* (or untyped) bodies.
func decodeText(_ *Server, b *bodyPlan, body []byte, ct, mt string, field reflect.Value) error {
	if mt != "" && !strings.HasPrefix(mt, "text/") {
		return unsupported(ct, b)
	}
	field.SetString(string(body))
	return nil
}

// decodeStructured: a typed body, parsed by the parser of its media type
// (JSON built in), validated against its schema, then decoded.
func decodeStructured(s *Server, b *bodyPlan, body []byte, ct, mt string, field reflect.Value) error {
	var parser BodyParser
	switch {
	case !b.accept(mt):
	case mt == "" || mt == echo.MIMEApplicationJSON || strings.HasSuffix(mt, "+json"):
		parser = jsonParser{}
	default:
		parser = s.parsers[mt]
	}
	if parser == nil {
		return unsupported(ct, b)
	}
	tree, err := parser.Parse(body, b.schema, b.reg)
	if err != nil {
		return &Error{Status: 400, Name: "SyntaxError", Code: CodeInvalidJSON, Message: "The request body is not valid JSON: " + err.Error() + ".", Err: err}
	}
	if d := b.valid.Validate(tree); len(d) > 0 {
		return &Error{Status: 422, Code: CodeValidationFailed, Details: d,
			Message: "The request body is invalid. See error object `details` property for more info."}
	}
	dst := field
	if b.partial {
		if err := keepPartial(parser, body, tree, field); err != nil {
			return err
		}
		dst = field.Field(0)
	} else if field.Kind() == reflect.Pointer {
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
	if len(b.untyped) > 0 {
		keepNulls(b.untyped, tree, dst)
	}
	return nil
}

// jsonNull is an explicit null in an untyped field: a decoder leaves nil
// there, which would mean "not sent".
var jsonNull = reflect.ValueOf(json.RawMessage("null"))

// keepNulls sets the untyped fields the body gives as null to a JSON
// null, so that storing the value and answering it keep "prop": null.
func keepNulls(fields []untypedField, tree any, dst reflect.Value) {
	o, ok := tree.(*schema.Object)
	if !ok {
		return
	}
	for _, f := range fields {
		if v, sent := o.Get(f.name); sent && v == nil {
			if fv := dst.FieldByIndex(f.index); fv.IsNil() {
				fv.Set(jsonNull)
			}
		}
	}
}

// accept reports whether a structured body of media type mt (without
// parameters) may be read: one the route consumes, or a +json type when
// it consumes JSON. A body without a Content-Type is read as JSON when
// the route consumes JSON.
func (b *bodyPlan) accept(mt string) bool {
	if len(b.accepts) == 0 {
		return mt == "" || mt == echo.MIMEApplicationJSON || strings.HasSuffix(mt, "+json")
	}
	wantsJSON := slices.Contains(b.accepts, echo.MIMEApplicationJSON)
	switch {
	case mt == "":
		return wantsJSON
	case strings.HasSuffix(mt, "+json") && wantsJSON:
		return true
	}
	return slices.Contains(b.accepts, mt)
}

// planConsumes sets the media types of the route's body, at start: what
// [Consumes] declared, each with a parser, or JSON alone.
func (s *Server) planConsumes(rt *Route, in *inputPlan) error {
	if len(rt.consumes) == 0 {
		return nil
	}
	if in.body == nil {
		return fmt.Errorf("rest.Consumes(%s): the route's input has no body field", strings.Join(rt.consumes, ", "))
	}
	if in.body.kind != bodyJSON {
		return fmt.Errorf("rest.Consumes(%s): the body field is a %s, which takes any media type; Consumes is for structured bodies", strings.Join(rt.consumes, ", "), in.body.typ)
	}
	var accepts []string
	for _, c := range rt.consumes {
		mt, _, err := mime.ParseMediaType(c)
		if err != nil {
			return fmt.Errorf("rest.Consumes: %q is not a media type: %w", c, err)
		}
		if mt != echo.MIMEApplicationJSON && !strings.HasSuffix(mt, "+json") && s.parsers[mt] == nil {
			return fmt.Errorf("rest.Consumes: no body parser reads %s; add one to the rest.BodyParsers point (built in: %s)",
				mt, strings.Join(append([]string{echo.MIMEApplicationJSON}, slices.Sorted(maps.Keys(s.parsers))...), ", "))
		}
		if !slices.Contains(accepts, mt) {
			accepts = append(accepts, mt)
		}
	}
	b := *in.body
	b.accepts = accepts
	in.body = &b
	return nil
}

// keepPartial stores the body as sent, and the names of the properties
// it sets, in a [Partial] field.
func keepPartial(parser BodyParser, body []byte, tree any, field reflect.Value) error {
	var keys []string
	if o, ok := tree.(*schema.Object); ok {
		keys = slices.Clone(o.Keys)
	}
	raw := bytes.Clone(body) // the buffer goes back to the pool
	if parser != (jsonParser{}) {
		var err error
		if raw, err = json.Marshal(schema.Plain(tree)); err != nil {
			return &Error{Status: 422, Code: CodeValidationFailed, Err: err, Message: "The request body cannot be read as JSON."}
		}
	}
	field.Addr().Interface().(partialBody).setPartial(raw, keys)
	return nil
}
