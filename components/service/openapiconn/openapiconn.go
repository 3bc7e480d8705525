package openapiconn

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"slices"
	"strings"

	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/schema"
	"github.com/backplane-dev/backplane/components/service"
)

// Name is the connector's name in a service's configuration.
const Name = "openapi"

func init() {
	service.RegisterConnector(Name, "a client of any service its OpenAPI 3.0/3.1 document describes (LoopBack's loopback-connector-openapi)", connector{})
}

// Options are the OpenAPI connector's keys of a service's section.
type Options struct {
	// Spec is the document: a file, or an http(s) URL fetched when the
	// service opens (through the service's policy). A relative URL is
	// resolved against the service's baseURL ("/openapi.json").
	Spec string `json:"spec"`
	// Validate checks every parameter and body against the document
	// before the request leaves; on by default.
	Validate *bool `json:"validate"`

	parsed *openapi.Parsed
}

// Spec is an option of service.Declare that names the document (see
// [Options.Spec]).
func Spec(fileOrURL string) service.Option {
	return service.WithOptions(func(o *Options) { o.Spec = fileOrURL })
}

// Document is an option of service.Declare that gives the document
// parsed (embedded in the program, say: openapi.ParseFS); a spec in the
// configuration replaces it.
func Document(p *openapi.Parsed) service.Option {
	return service.WithOptions(func(o *Options) { o.parsed = p })
}

type connector struct{}

var (
	_ service.Connector    = connector{}
	_ service.Configurable = connector{}
)

func (connector) Options() any { return Options{} }

func (connector) Open(ctx context.Context, s *service.Service) (service.Client, error) {
	opts, err := service.OptionsOf[Options](s.Config())
	if err != nil {
		return nil, err
	}
	doc, specURL, err := load(ctx, s, opts)
	if err != nil {
		return nil, err
	}
	base, err := baseURL(s, doc, specURL)
	if err != nil {
		return nil, err
	}
	c := &client{s: s, doc: doc, base: base, reg: schema.NewRegistry(), ops: map[string]*operation{},
		validate: opts.Validate == nil || *opts.Validate}
	for _, name := range slices.Sorted(maps.Keys(doc.Components.Schemas)) {
		if err := c.reg.Add(name, doc.Components.Schemas[name]); err != nil {
			return nil, err
		}
	}
	var errs []error
	doc.Operations(func(method, path string, op *openapi.Operation) {
		o, err := c.plan(method, path, op)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %s %s: %w", doc.At(openapi.OperationPointer(method, path)), method, path, err))
			return
		}
		if o != nil {
			c.ops[o.id] = o
		}
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if len(c.ops) == 0 {
		return nil, fmt.Errorf("the document %s has no operation with an operationId", doc.Name)
	}
	return c, nil
}

// load reads the document: parsed in code, a file, or a URL.
func load(ctx context.Context, s *service.Service, opts Options) (*openapi.Parsed, string, error) {
	spec := opts.Spec
	if spec == "" {
		if opts.parsed != nil {
			return opts.parsed, "", nil
		}
		return nil, "", errors.New("no document: set spec (a file or a URL) or use openapiconn.Document")
	}
	if strings.HasPrefix(spec, "http://") || strings.HasPrefix(spec, "https://") || strings.HasPrefix(spec, "/") && s.Config().BaseURL != "" {
		u := spec
		if strings.HasPrefix(spec, "/") {
			var err error
			if u, err = s.URL(spec); err != nil {
				return nil, "", err
			}
		}
		res, err := s.Do(ctx, service.Request{Operation: "spec", Idempotent: true, New: func(ctx context.Context) (*http.Request, error) {
			r, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
			if err == nil {
				r.Header.Set("Accept", "application/json, application/yaml;q=0.9, */*;q=0.1")
			}
			return r, err
		}})
		if err != nil {
			return nil, "", fmt.Errorf("fetch the document: %w", err)
		}
		p, err := openapi.Parse(u, res.Body)
		return p, u, err
	}
	b, err := os.ReadFile(spec)
	if err != nil {
		return nil, "", err
	}
	p, err := openapi.Parse(spec, b)
	return p, "", err
}

// baseURL is the service's baseURL, else the document's first server
// (its variables at their defaults), resolved against the document's
// URL when relative.
func baseURL(s *service.Service, doc *openapi.Parsed, specURL string) (string, error) {
	if b := s.Config().BaseURL; b != "" {
		return strings.TrimSuffix(b, "/"), nil
	}
	if len(doc.Servers) == 0 {
		if specURL == "" {
			return "", errors.New("no baseURL and the document has no servers: set baseURL")
		}
		u, _ := url.Parse(specURL)
		return u.Scheme + "://" + u.Host, nil
	}
	srv := doc.Servers[0]
	raw := srv.URL
	for name, v := range srv.Variables {
		raw = strings.ReplaceAll(raw, "{"+name+"}", v.Default)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("servers[0].url %q: %w", srv.URL, err)
	}
	if !u.IsAbs() {
		if specURL == "" {
			return "", fmt.Errorf("servers[0].url %q is relative and the document was not fetched from a URL: set baseURL", srv.URL)
		}
		base, _ := url.Parse(specURL)
		u = base.ResolveReference(u)
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

type client struct {
	s        *service.Service
	doc      *openapi.Parsed
	base     string
	reg      *schema.Registry
	ops      map[string]*operation
	validate bool
}

type operation struct {
	id, method, path string
	summary          string
	segs             []segment // the path template
	params           []*param
	byName           map[string]*param
	body             *param // nil when the operation takes none
	result           *schema.Schema
	pointer          string
}

type segment struct {
	lit   string
	param *param
}

type param struct {
	name, in string
	required bool
	schema   *schema.Schema
	v        *schema.Validator
	explode  bool
	json     bool // serialized as JSON text (content: application/json)
}

func (c *client) Operations() []service.OperationInfo {
	out := make([]service.OperationInfo, 0, len(c.ops))
	for _, id := range slices.Sorted(maps.Keys(c.ops)) {
		op := c.ops[id]
		var names []string
		for _, p := range op.params {
			names = append(names, p.name)
		}
		if op.body != nil {
			names = append(names, "body")
		}
		out = append(out, service.OperationInfo{Name: id, Method: op.method, Path: op.path, Summary: op.summary, Params: names})
	}
	return out
}

func (c *client) ref(name, prefix string) string { return strings.TrimPrefix(name, prefix) }

// plan reads an operation: its parameters (path ones in the template's
// order), its JSON body, its JSON success result; schemas are compiled
// here, once.
func (c *client) plan(method, path string, op *openapi.Operation) (*operation, error) {
	if op.OperationID == "" {
		return nil, nil // not callable by id
	}
	o := &operation{id: op.OperationID, method: method, path: path, summary: op.Summary, byName: map[string]*param{}, pointer: openapi.OperationPointer(method, path)}
	item := c.doc.Paths[path]
	all := append(slices.Clone(item.Parameters), op.Parameters...)
	for _, p := range all {
		if p.Ref != "" {
			q, ok := c.doc.Components.Parameters[c.ref(p.Ref, "#/components/parameters/")]
			if !ok {
				return nil, fmt.Errorf("parameter %s is not in components.parameters", p.Ref)
			}
			p = q
		}
		if p.In == "cookie" {
			return nil, fmt.Errorf("parameter %q: cookie parameters are not supported", p.Name)
		}
		pp := &param{name: p.Name, in: p.In, required: p.Required || p.In == "path", schema: p.Schema, explode: p.Explode == nil || *p.Explode}
		if p.Schema == nil && len(p.Content) > 0 {
			mt := jsonMedia(p.Content)
			if mt == nil {
				return nil, fmt.Errorf("parameter %q: only parameters serialized as JSON content are supported (it has %s)", p.Name, strings.Join(slices.Sorted(maps.Keys(p.Content)), ", "))
			}
			pp.schema, pp.json = mt.Schema, true
		}
		if pp.schema != nil && c.validate {
			v, err := schema.CompileFor(pp.schema, c.reg, schema.Request)
			if err != nil {
				return nil, fmt.Errorf("parameter %q: %w", p.Name, err)
			}
			pp.v = v
		}
		if prev, dup := o.byName[pp.name]; dup {
			*prev = *pp // an operation's parameter overrides the path item's
			continue
		}
		o.params = append(o.params, pp)
		o.byName[pp.name] = pp
	}
	rest := path
	for rest != "" {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			o.segs = append(o.segs, segment{lit: rest})
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return nil, fmt.Errorf("path %q: a { is not closed", path)
		}
		name := rest[i+1 : i+j]
		p, ok := o.byName[name]
		if !ok || p.in != "path" {
			return nil, fmt.Errorf("path parameter {%s} is not declared", name)
		}
		o.segs = append(o.segs, segment{lit: rest[:i]}, segment{param: p})
		rest = rest[i+j+1:]
	}
	if rb := op.RequestBody; rb != nil {
		if rb.Ref != "" {
			q, ok := c.doc.Components.RequestBodies[c.ref(rb.Ref, "#/components/requestBodies/")]
			if !ok {
				return nil, fmt.Errorf("request body %s is not in components.requestBodies", rb.Ref)
			}
			rb = q
		}
		mt := jsonMedia(rb.Content)
		if mt == nil {
			return nil, fmt.Errorf("the request body has no JSON media type (it has %s): only JSON bodies are supported", strings.Join(slices.Sorted(maps.Keys(rb.Content)), ", "))
		}
		o.body = &param{name: "body", in: "body", required: rb.Required, schema: mt.Schema}
		if mt.Schema != nil && c.validate {
			v, err := schema.CompileFor(mt.Schema, c.reg, schema.Request)
			if err != nil {
				return nil, fmt.Errorf("request body: %w", err)
			}
			o.body.v = v
		}
	}
	for _, code := range slices.Sorted(maps.Keys(op.Responses)) {
		if len(code) == 3 && code[0] == '2' || code == "2XX" {
			r := op.Responses[code]
			if r.Ref != "" {
				if q, ok := c.doc.Components.Responses[c.ref(r.Ref, "#/components/responses/")]; ok {
					r = q
				}
			}
			if mt := jsonMedia(r.Content); mt != nil && mt.Schema != nil {
				o.result = mt.Schema
			}
			break
		}
	}
	return o, nil
}

func jsonMedia(content map[string]*openapi.MediaType) *openapi.MediaType {
	for _, k := range slices.Sorted(maps.Keys(content)) {
		mt := strings.TrimSpace(strings.SplitN(k, ";", 2)[0])
		if mt == "application/json" || strings.HasSuffix(mt, "+json") {
			return content[k]
		}
	}
	return nil
}

// Operation plans the operation id for inputs of type in — a struct
// whose fields are the parameters by name (json tags) and "body" for the
// request body — and outputs of type out, checked against the document.
func (c *client) Operation(id string, in, out reflect.Type) (service.Invoker, error) {
	op, ok := c.ops[id]
	if !ok {
		return nil, fmt.Errorf("no operation %q", id)
	}
	plan, err := service.PlanInput(in)
	if err != nil {
		return nil, err
	}
	if plan.Typed() {
		if err := c.check(op, in, out, plan); err != nil {
			return nil, err
		}
	}
	return func(ctx context.Context, v, dst any) error { return c.call(ctx, op, plan, v, dst) }, nil
}

// check reports every way the Go types and the operation disagree.
func (c *client) check(op *operation, in, out reflect.Type, plan *service.Input) error {
	var errs []error
	where := c.doc.At(op.pointer)
	st := in
	if st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	fieldType := func(name string) reflect.Type {
		for _, f := range reflect.VisibleFields(st) {
			n, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if n == "" {
				n = f.Name
			}
			if n == name {
				return f.Type
			}
		}
		return nil
	}
	var names []string
	for _, p := range op.params {
		names = append(names, p.name)
	}
	if op.body != nil {
		names = append(names, "body")
	}
	for _, n := range plan.Names() {
		if _, ok := op.byName[n]; !ok && (n != "body" || op.body == nil) {
			errs = append(errs, fmt.Errorf("the input %s has a field %q that is no parameter of %s (%s; its parameters: %s)", in, n, op.id, where, strings.Join(names, ", ")))
		}
	}
	for _, p := range append(slices.Clone(op.params), op.body) {
		if p == nil {
			continue
		}
		t := fieldType(p.name)
		if t == nil {
			if p.required {
				errs = append(errs, fmt.Errorf("the input %s has no field for the required %s parameter %q of %s (%s)", in, p.in, p.name, op.id, where))
			}
			continue
		}
		if p.schema != nil {
			for _, m := range schema.Fits(t, p.schema, c.reg, schema.Response, "") {
				errs = append(errs, fmt.Errorf("the input's field %q does not fit the %s parameter %q of %s (%s): %s", p.name, p.in, p.name, op.id, where, m))
			}
		}
	}
	if out != nil && op.result != nil {
		for _, m := range schema.Fits(out, op.result, c.reg, schema.Request, "") {
			if strings.HasSuffix(m.Pointer, "/required") && strings.Contains(m.Message, "has no field") {
				continue // a client may keep only the properties it reads
			}
			errs = append(errs, fmt.Errorf("the output %s does not fit the result of %s (%s): %s", out, op.id, where, m))
		}
	}
	return errors.Join(errs...)
}

func (c *client) invalid(op *operation, format string, args ...any) error {
	return &service.Error{Service: c.s.Name(), Operation: op.id, Kind: service.KindInvalid, Err: fmt.Errorf(format, args...)}
}

// checkValue validates a value against a parameter's schema.
func (c *client) checkValue(op *operation, p *param, v any) error {
	if p.v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return c.invalid(op, "%s %q: %w", p.in, p.name, err)
	}
	parsed, err := schema.Parse(b, 0)
	if err != nil {
		return c.invalid(op, "%s %q: %w", p.in, p.name, err)
	}
	if details := p.v.Validate(parsed); len(details) > 0 {
		d := details[0]
		return c.invalid(op, "%s %q%s: %s (the document says so at %s)", p.in, p.name, d.Path, d.Message, c.doc.At(op.pointer))
	}
	return nil
}

func (c *client) call(ctx context.Context, op *operation, in *service.Input, v, dst any) error {
	var path strings.Builder
	path.WriteString(c.base)
	for _, s := range op.segs {
		if s.param == nil {
			path.WriteString(s.lit)
			continue
		}
		x, ok := in.Get(v, s.param.name)
		if !ok || service.Text(x) == "" {
			return c.invalid(op, "the path parameter %q is not set", s.param.name)
		}
		if err := c.checkValue(op, s.param, x); err != nil {
			return err
		}
		path.WriteString(url.PathEscape(service.Text(x)))
	}
	var q url.Values
	var headers [][2]string
	for _, p := range op.params {
		if p.in == "path" {
			continue
		}
		x, ok := in.Get(v, p.name)
		if ok && p.required && p.in != "query" && service.Text(x) == "" {
			ok = false // an empty header is no header
		}
		if !ok {
			if p.required {
				return c.invalid(op, "the required %s parameter %q is not set", p.in, p.name)
			}
			continue
		}
		if err := c.checkValue(op, p, x); err != nil {
			return err
		}
		if p.json {
			b, err := json.Marshal(x)
			if err != nil {
				return c.invalid(op, "%s %q: %w", p.in, p.name, err)
			}
			x = string(b)
		}
		switch p.in {
		case "query":
			if q == nil {
				q = url.Values{}
			}
			rv := reflect.ValueOf(x)
			if (rv.Kind() == reflect.Slice || rv.Kind() == reflect.Array) && rv.Type().Elem().Kind() != reflect.Uint8 {
				var parts []string
				for i := range rv.Len() {
					parts = append(parts, service.Text(rv.Index(i).Interface()))
				}
				if p.explode {
					q[p.name] = parts
				} else {
					q.Set(p.name, strings.Join(parts, ","))
				}
				continue
			}
			q.Set(p.name, service.Text(x))
		case "header":
			headers = append(headers, [2]string{p.name, service.Text(x)})
		}
	}
	u := path.String()
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var body []byte
	if op.body != nil {
		x, ok := in.Get(v, "body")
		if !ok && op.body.required {
			return c.invalid(op, "the required request body is not set")
		}
		if ok {
			var err error
			if body, err = json.Marshal(x); err != nil {
				return c.invalid(op, "body: %w", err)
			}
			if op.body.v != nil {
				parsed, err := schema.Parse(body, 0)
				if err != nil {
					return c.invalid(op, "body: %w", err)
				}
				if details := op.body.v.Validate(parsed); len(details) > 0 {
					return c.invalid(op, "body%s: %s (the document says so at %s)", details[0].Path, details[0].Message, c.doc.At(op.pointer))
				}
			}
		}
	}
	res, err := c.s.Do(ctx, service.Request{
		Operation:  op.id,
		Idempotent: service.Idempotent(op.method),
		New: func(ctx context.Context) (*http.Request, error) {
			var r *http.Request
			var err error
			if body != nil {
				r, err = http.NewRequestWithContext(ctx, op.method, u, bytes.NewReader(body))
				if err == nil {
					r.Header.Set("Content-Type", "application/json")
				}
			} else {
				r, err = http.NewRequestWithContext(ctx, op.method, u, nil)
			}
			if err != nil {
				return nil, err
			}
			r.Header.Set("Accept", "application/json")
			for _, h := range headers {
				r.Header.Set(h[0], h[1])
			}
			return r, nil
		},
	})
	if err != nil {
		return err
	}
	if err := service.DecodeJSON(res, dst); err != nil {
		return &service.Error{Service: c.s.Name(), Operation: op.id, Kind: service.KindBadResponse, Status: res.Status, Err: err}
	}
	return nil
}
