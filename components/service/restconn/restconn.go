package restconn

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"

	"github.com/backplane-dev/backplane/components/service"
)

// Name is the connector's name in a service's configuration.
const Name = "rest"

func init() {
	service.RegisterConnector(Name, "REST services from request templates (LoopBack's loopback-connector-rest)", connector{})
}

// Options are the REST connector's keys of a service's section.
type Options struct {
	// Operations are the service's operations.
	Operations []Operation `json:"operations"`
}

// Operation is a request template, LoopBack's `template` and `functions`
// in one: a name, an HTTP method, a URL, query parameters, headers and a
// JSON body, each of which may hold placeholders — {name} (the input
// called name), {name=default} (a default when it is not set) and
// {!name} (required) — and the part of the answer to return.
//
//	name: geocode
//	method: GET
//	url: /locations/onelineaddress          # relative to the service's baseURL
//	query: {format: "{format=json}", benchmark: Public_AR_Current, address: "{!address}"}
//	responsePath: $.result.addressMatches[*].coordinates
//
// A path placeholder is required unless it has a default (an empty
// string is not a value for a required placeholder); a query
// parameter or header that is one placeholder is left out when its input
// is not set; a body string that is one placeholder takes the input's
// value as it is (a number stays a number, {body} can be a whole struct).
type Operation struct {
	Name    string            `json:"name"`
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Query   map[string]string `json:"query"`
	Headers map[string]string `json:"headers"`
	Body    any               `json:"body"`
	// ResponsePath selects the part of a JSON answer to return: $, .name,
	// ['name'], [n], [*]. With [*] the result is a list.
	ResponsePath string `json:"responsePath"`
	// Retry marks a non-idempotent operation (a POST) safe to retry.
	Retry bool `json:"retry"`
	// Summary describes the operation in listings.
	Summary string `json:"summary"`
}

// Define is an option of service.Declare that adds operations in code.
func Define(ops ...Operation) service.Option {
	return service.WithOptions(func(o *Options) { o.Operations = append(o.Operations, ops...) })
}

type connector struct{}

var (
	_ service.Connector    = connector{}
	_ service.Configurable = connector{}
)

func (connector) Options() any { return Options{} }

// Open compiles every operation's templates; a template that cannot
// work is a start error naming the operation.
func (connector) Open(_ context.Context, s *service.Service) (service.Client, error) {
	opts, err := service.OptionsOf[Options](s.Config())
	if err != nil {
		return nil, err
	}
	c := &client{s: s, ops: map[string]*operation{}}
	var errs []error
	for i, o := range opts.Operations {
		op, err := compile(s, o)
		if err != nil {
			errs = append(errs, fmt.Errorf("operations[%d] %q: %w", i, o.Name, err))
			continue
		}
		if _, dup := c.ops[op.Name]; dup {
			errs = append(errs, fmt.Errorf("operations[%d]: two operations are called %q", i, o.Name))
			continue
		}
		c.ops[op.Name] = op
	}
	if len(opts.Operations) == 0 {
		errs = append(errs, errors.New("no operations: declare them under operations (or with restconn.Define)"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

type client struct {
	s   *service.Service
	ops map[string]*operation
}

func (c *client) Operations() []service.OperationInfo {
	out := make([]service.OperationInfo, 0, len(c.ops))
	for _, op := range c.ops {
		out = append(out, service.OperationInfo{Name: op.Name, Method: op.Method, Path: op.URL, Summary: op.Summary, Params: op.params})
	}
	slices.SortFunc(out, func(a, b service.OperationInfo) int { return strings.Compare(a.Name, b.Name) })
	return out
}

type operation struct {
	Operation
	url      *text
	absolute bool
	query    []kv
	headers  []kv
	body     node
	resp     *path
	params   []string        // every placeholder, sorted
	required map[string]bool // placeholders without which nothing is sent
	idem     bool
}

type kv struct {
	key string
	val *text
}

func compile(s *service.Service, o Operation) (*operation, error) {
	if o.Name == "" {
		return nil, errors.New("no name")
	}
	op := &operation{Operation: o, required: map[string]bool{}}
	op.Method = strings.ToUpper(o.Method)
	if op.Method == "" {
		op.Method = http.MethodGet
	}
	op.idem = service.Idempotent(op.Method) || o.Retry
	if o.URL == "" {
		return nil, errors.New("no url")
	}
	var err error
	if op.url, err = compileText(o.URL); err != nil {
		return nil, err
	}
	if u, perr := url.Parse(strings.NewReplacer("{", "", "}", "").Replace(o.URL)); perr == nil && u.IsAbs() {
		op.absolute = true
	} else if s.Config().BaseURL == "" {
		return nil, fmt.Errorf("url %q is relative and the service has no baseURL", o.URL)
	}
	seen := map[string]bool{}
	add := func(p part) {
		if !seen[p.name] {
			seen[p.name] = true
			op.params = append(op.params, p.name)
		}
		if p.required {
			op.required[p.name] = true
		}
	}
	op.url.params(func(p part) {
		add(p)
		if !p.hasDef {
			op.required[p.name] = true
		}
	})
	for _, m := range []struct {
		src map[string]string
		dst *[]kv
	}{{o.Query, &op.query}, {o.Headers, &op.headers}} {
		for _, k := range slices.Sorted(maps.Keys(m.src)) {
			t, err := compileText(m.src[k])
			if err != nil {
				return nil, err
			}
			t.params(add)
			*m.dst = append(*m.dst, kv{k, t})
		}
	}
	if o.Body != nil {
		if op.body, err = compileBody(o.Body, add); err != nil {
			return nil, err
		}
	}
	if o.ResponsePath != "" {
		if op.resp, err = compilePath(o.ResponsePath); err != nil {
			return nil, err
		}
	}
	slices.Sort(op.params)
	return op, nil
}

// Operation plans op for inputs of type in: a struct must have a field
// for every required placeholder and no field that is not one.
func (c *client) Operation(name string, in, out reflect.Type) (service.Invoker, error) {
	op, ok := c.ops[name]
	if !ok {
		return nil, fmt.Errorf("no operation %q", name)
	}
	plan, err := service.PlanInput(in)
	if err != nil {
		return nil, err
	}
	if plan.Typed() {
		var errs []error
		for _, n := range plan.Names() {
			if !slices.Contains(op.params, n) {
				errs = append(errs, fmt.Errorf("the input %s has a field %q that is no parameter of the operation (its parameters: %s)", in, n, strings.Join(op.params, ", ")))
			}
		}
		for _, n := range slices.Sorted(maps.Keys(op.required)) {
			if !plan.Has(n) {
				errs = append(errs, fmt.Errorf("the input %s has no field for the required parameter %q", in, n))
			}
		}
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
	}
	if out != nil && out.Kind() == reflect.Func || out != nil && out.Kind() == reflect.Chan {
		return nil, fmt.Errorf("the output %s cannot hold JSON", out)
	}
	return func(ctx context.Context, v, dst any) error { return c.call(ctx, op, plan, v, dst) }, nil
}

func (c *client) call(ctx context.Context, op *operation, in *service.Input, v, dst any) error {
	get := func(name string) (any, bool) { return in.Get(v, name) }
	for n := range op.required {
		if v, ok := get(n); !ok || service.Text(v) == "" {
			return &service.Error{Service: c.s.Name(), Operation: op.Name, Kind: service.KindInvalid, Err: fmt.Errorf("the required parameter %q is not set", n)}
		}
	}
	u, err := op.buildURL(c.s, get)
	if err != nil {
		return &service.Error{Service: c.s.Name(), Operation: op.Name, Kind: service.KindInvalid, Err: err}
	}
	var body []byte
	if op.body != nil {
		b, _ := op.body.eval(get)
		if body, err = json.Marshal(b); err != nil {
			return &service.Error{Service: c.s.Name(), Operation: op.Name, Kind: service.KindInvalid, Err: fmt.Errorf("body: %w", err)}
		}
	}
	headers := make([][2]string, 0, len(op.headers))
	for _, h := range op.headers {
		if val, ok := render(h.val, get); ok {
			headers = append(headers, [2]string{h.key, val})
		}
	}
	res, err := c.s.Do(ctx, service.Request{
		Operation:  op.Name,
		Idempotent: op.idem,
		New: func(ctx context.Context) (*http.Request, error) {
			var r *http.Request
			var err error
			if body != nil {
				r, err = http.NewRequestWithContext(ctx, op.Method, u, bytes.NewReader(body))
				if err == nil {
					r.Header.Set("Content-Type", "application/json")
				}
			} else {
				r, err = http.NewRequestWithContext(ctx, op.Method, u, nil)
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
	if err := decode(res, op.resp, dst); err != nil {
		return &service.Error{Service: c.s.Name(), Operation: op.Name, Kind: service.KindBadResponse, Status: res.Status, Err: err}
	}
	return nil
}

// buildURL renders the URL (path values escaped) and the query.
func (op *operation) buildURL(s *service.Service, get func(string) (any, bool)) (string, error) {
	var b strings.Builder
	for _, p := range op.url.parts {
		if p.name == "" {
			b.WriteString(p.lit)
			continue
		}
		v, ok := get(p.name)
		switch {
		case ok:
			b.WriteString(url.PathEscape(service.Text(v)))
		case p.hasDef:
			b.WriteString(url.PathEscape(p.def))
		default:
			return "", fmt.Errorf("the path parameter %q is not set", p.name)
		}
	}
	u := b.String()
	if !op.absolute {
		var err error
		if u, err = s.URL(u); err != nil {
			return "", err
		}
	}
	if len(op.query) == 0 {
		return u, nil
	}
	q := make(url.Values, len(op.query))
	for _, kv := range op.query {
		if val, ok := render(kv.val, get); ok {
			q.Set(kv.key, val)
		}
	}
	if len(q) == 0 {
		return u, nil
	}
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + q.Encode(), nil
}

// render renders a text template; a template that is one placeholder
// whose input is not set, without a default, is not rendered.
func render(t *text, get func(string) (any, bool)) (string, bool) {
	if p, ok := t.single(); ok {
		v, set := get(p.name)
		switch {
		case set:
			return service.Text(v), true
		case p.hasDef:
			return p.def, true
		}
		return "", false
	}
	var b strings.Builder
	for _, p := range t.parts {
		if p.name == "" {
			b.WriteString(p.lit)
			continue
		}
		if v, ok := get(p.name); ok {
			b.WriteString(service.Text(v))
		} else {
			b.WriteString(p.def)
		}
	}
	return b.String(), true
}

// decode decodes a JSON answer into dst, selecting the part p says
// when it is not nil.
func decode(res *service.Response, p *path, dst any) error {
	if p == nil {
		return service.DecodeJSON(res, dst)
	}
	if dst == nil || len(bytes.TrimSpace(res.Body)) == 0 {
		return nil
	}
	if err := service.CheckJSON(res); err != nil {
		return err
	}
	var v any
	if err := json.Unmarshal(res.Body, &v); err != nil {
		return fmt.Errorf("malformed JSON answer: %w", err)
	}
	sel := p.eval(v)
	if sel == nil {
		return nil
	}
	b, err := json.Marshal(sel)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, dst); err != nil {
		return fmt.Errorf("%s of the answer does not fit %T: %w", p.src, dst, err)
	}
	return nil
}
