package apifirst

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/schema"
)

// Handle binds h to the operation id of the document (its operationId,
// or LoopBack's "<x-controller-name>.<x-operation-name>"), from a
// controller's Routes:
//
//	func (c *TodoController) Routes(r *rest.Router) {
//		apifirst.Handle(r, c.API, "createTodo", c.Create)
//	}
//
// The route is the operation's method and path. Its parameters and body
// are validated against the document's schemas (rest.Given), with the
// same error envelope as any route; I says where each value goes, with
// the same tags as any input (path, query, header, cookie, body).
//
// Handle checks, when the route is declared, that I and O fit the
// operation: every required parameter has a field, every field reads a
// parameter the operation declares, each field's type can hold its
// schema's values, the body and the success response agree with I's body
// field and O (a required property O cannot produce, a number an int64
// cannot hold). Each mismatch fails the start, naming the operation, the
// JSON pointer and line of the schema, and the Go field.
//
// opts add to the route (interceptors, middleware); the document, not
// opts, says what the route reads and answers.
func Handle[I, O any](r *rest.Router, api *API, id string, h rest.Handler[I, O], opts ...rest.RouteOption) {
	if api == nil {
		r.Fail(fmt.Errorf("apifirst: Handle(%q): the API is nil: inject it with `inject:\"apifirst.api\"` and mount apifirst.Component", id))
		return
	}
	o, ok := api.byID[id]
	if !ok {
		r.Fail(fmt.Errorf("apifirst: Handle(%q): %s has no such operation%s", id, api.parsed.Name, api.suggest(id)))
		return
	}
	api.mu.Lock()
	prev, dup := api.bound[o]
	if !dup {
		api.bound[o] = fmt.Sprintf("%T", h)
	}
	api.mu.Unlock()
	if dup {
		r.Fail(fmt.Errorf("apifirst: %s is bound twice (first to %s)", o, prev))
		return
	}
	plan, problems := api.plan(o, reflect.TypeFor[I](), reflect.TypeFor[O]())
	if len(problems) > 0 {
		r.Fail(api.mismatchError(o, problems))
		return
	}
	cfg, err := api.section.Get()
	if err != nil {
		r.Fail(err)
		return
	}
	check, err := api.responseCheck(o, plan, cfg.Responses)
	if err != nil {
		r.Fail(err)
		return
	}
	if check != nil {
		inner := h
		h = func(ctx context.Context, in *I) (O, error) {
			out, err := inner(ctx, in)
			if err != nil {
				return out, check.failure(ctx, err)
			}
			if err := check.output(ctx, out); err != nil {
				var zero O
				return zero, err
			}
			return out, nil
		}
	}
	all := append([]rest.RouteOption{rest.Hidden(), rest.OperationID(o.ID), rest.Status(plan.status), rest.Given(plan.contract)}, opts...)
	rest.Handle(r, o.Method, o.Path, h, all...)
}

// plan is what Handle derived from the operation.
type plan struct {
	contract rest.Contract
	status   int
	success  *schema.Schema // nil: no body
}

// problem is a mismatch between the operation and the Go types.
type problem struct {
	pointer, goName, msg string
}

func (a *API) mismatchError(o *Operation, ps []problem) error {
	var b strings.Builder
	fmt.Fprintf(&b, "apifirst: %s does not fit its handler:", o)
	for _, p := range ps {
		ptr := strings.TrimPrefix(p.pointer, "#")
		fmt.Fprintf(&b, "\n  %s #%s", a.parsed.At(ptr), ptr)
		if p.goName != "" {
			fmt.Fprintf(&b, " (Go: %s)", p.goName)
		}
		b.WriteString(": " + p.msg)
	}
	return errors.New(b.String())
}

type docParam struct {
	p       *openapi.Parameter
	pointer string // of the parameter object
}

// params lists the operation's parameters with their pointers: its own,
// then the path item's it does not override; references followed.
func (a *API) params(o *Operation) []docParam {
	d := a.parsed.Document
	item := d.Paths[o.Path]
	resolve := func(p *openapi.Parameter, ptr string) (*openapi.Parameter, string) {
		for i := 0; p != nil && p.Ref != "" && i < 8; i++ {
			name := p.Ref[strings.LastIndexByte(p.Ref, '/')+1:]
			p, ptr = d.Components.Parameters[name], "/components/parameters/"+name
		}
		return p, ptr
	}
	var out []docParam
	mine := map[string]bool{}
	for i, p := range o.Op.Parameters {
		if q, ptr := resolve(p, o.Pointer()+"/parameters/"+strconv.Itoa(i)); q != nil {
			mine[q.In+" "+q.Name] = true
			out = append(out, docParam{q, ptr})
		}
	}
	for i, p := range item.Parameters {
		q, ptr := resolve(p, "/paths/"+strings.ReplaceAll(strings.ReplaceAll(o.Path, "~", "~0"), "/", "~1")+"/parameters/"+strconv.Itoa(i))
		if q != nil && !mine[q.In+" "+q.Name] {
			out = append(out, docParam{q, ptr})
		}
	}
	return out
}

// mediaSchema picks the JSON schema of a content map: application/json,
// then any +json type, then the first type in order.
func mediaSchema(content map[string]*openapi.MediaType, ptr string) (*schema.Schema, string) {
	keys := slices.Sorted(maps.Keys(content))
	pick := ""
	for _, k := range keys {
		if k == "application/json" {
			pick = k
			break
		}
		if pick == "" && strings.HasSuffix(k, "+json") {
			pick = k
		}
	}
	if pick == "" && len(keys) > 0 {
		pick = keys[0]
	}
	if pick == "" || content[pick] == nil {
		return nil, ""
	}
	return content[pick].Schema, ptr + "/content/" + strings.ReplaceAll(pick, "/", "~1") + "/schema"
}

var noContentType = reflect.TypeFor[rest.NoContent]()

func (a *API) plan(o *Operation, in, out reflect.Type) (*plan, []problem) {
	var ps []problem
	add := func(ptr, goName, format string, args ...any) {
		ps = append(ps, problem{ptr, goName, fmt.Sprintf(format, args...)})
	}
	fits := func(t reflect.Type, s *schema.Schema, dir schema.Direction, ptr, goName string) {
		for _, m := range schema.Fits(t, s, a.reg, dir, ptr) {
			name := m.Go
			if goName != "" && !strings.Contains(name, ".") {
				name = goName
			}
			add(m.Pointer, name, "%s", m.Message)
		}
	}
	pl := &plan{contract: rest.Contract{Schemas: a.reg}}
	fields, err := rest.InputFields(in)
	if err != nil {
		add(o.Pointer(), in.String(), "%v", err)
		return nil, ps
	}
	byKey := map[string]rest.InputField{}
	var body *rest.InputField
	for _, f := range fields {
		if f.In == "body" {
			body = &f
			continue
		}
		byKey[f.In+" "+f.Name] = f
	}
	declared := map[string]bool{}
	for _, dp := range a.params(o) {
		p := dp.p
		name := p.Name
		if p.In == "header" {
			name = http.CanonicalHeaderKey(name)
		}
		key := p.In + " " + name
		declared[key] = true
		s, sptr := p.Schema, dp.pointer+"/schema"
		if s == nil {
			s, sptr = mediaSchema(p.Content, dp.pointer)
		}
		pl.contract.Params = append(pl.contract.Params, rest.ContractParam{In: p.In, Name: p.Name, Required: p.Required || p.In == "path", Schema: s})
		f, ok := byKey[key]
		if !ok {
			if p.Required || p.In == "path" {
				add(dp.pointer, in.String(), "the required %s parameter %q has no field in %s (add one tagged %s:%q)", p.In, p.Name, in, p.In, p.Name)
			}
			continue
		}
		if !f.Self {
			fits(f.Type, s, schema.Request, sptr, in.Name()+"."+f.Field.Name)
		}
	}
	for _, f := range fields {
		if f.In != "body" && !declared[f.In+" "+f.Name] {
			add(o.Pointer()+"/parameters", in.Name()+"."+f.Field.Name, "%s.%s reads the %s parameter %q, which the operation does not declare", in.Name(), f.Field.Name, f.In, f.Name)
		}
	}
	rb := a.parsed.ResolveBody(o.Op.RequestBody)
	rbPtr := o.Pointer() + "/requestBody"
	if o.Op.RequestBody != nil && o.Op.RequestBody.Ref != "" {
		rbPtr = "/components/requestBodies/" + o.Op.RequestBody.Ref[strings.LastIndexByte(o.Op.RequestBody.Ref, '/')+1:]
	}
	switch {
	case rb == nil && body != nil:
		add(o.Pointer(), in.Name()+"."+body.Field.Name, "%s has a body field, but the operation has no requestBody", in)
	case rb != nil && body == nil:
		if rb.Required {
			add(rbPtr, in.String(), "the operation reads a required request body; %s has no body field (add Body T `body:\"\"`)", in)
		}
	case rb != nil:
		s, sptr := mediaSchema(rb.Content, rbPtr)
		pl.contract.Body = &rest.ContractBody{Required: rb.Required, Schema: s, MediaTypes: slices.Sorted(maps.Keys(rb.Content))}
		if s != nil && body.Type.Kind() != reflect.String && body.Type != reflect.TypeFor[[]byte]() {
			fits(body.Type, s, schema.Request, sptr, in.Name()+"."+body.Field.Name)
		}
	}

	code, resp := successResponse(o.Op)
	if resp == nil {
		add(o.Pointer()+"/responses", "", "the operation documents no 2xx response")
		return pl, ps
	}
	pl.status = code
	resp = a.parsed.ResolveResponse(resp)
	respPtr := fmt.Sprintf("%s/responses/%d", o.Pointer(), code)
	var s *schema.Schema
	sptr := ""
	if resp != nil {
		s, sptr = mediaSchema(resp.Content, respPtr)
	}
	switch {
	case out == noContentType && resp != nil && len(resp.Content) > 0:
		add(respPtr, out.String(), "the handler returns rest.NoContent, but the %d response has a body", code)
	case out != noContentType && (resp == nil || len(resp.Content) == 0):
		add(respPtr, out.String(), "the %d response has no body, but the handler returns %s (return rest.NoContent)", code, out)
	case out != noContentType && s != nil:
		if out.Kind() != reflect.String && out != reflect.TypeFor[[]byte]() {
			fits(out, s, schema.Response, sptr, out.Name())
		}
		pl.success = s
	}
	return pl, ps
}

// successResponse is the operation's first 2xx response (a range counts
// as its x00).
func successResponse(op *openapi.Operation) (int, *openapi.Response) {
	for _, k := range slices.Sorted(maps.Keys(op.Responses)) {
		if k[0] != '2' {
			continue
		}
		code, err := strconv.Atoi(strings.ReplaceAll(strings.ToUpper(k), "X", "0"))
		if err == nil {
			return code, op.Responses[k]
		}
	}
	return 0, nil
}

// responseCheck checks what a bound handler answers against the
// document, when the configuration asks.
type responseCheck struct {
	api   *API
	op    *Operation
	valid *schema.Validator // nil: no body
	fail  bool
}

func (a *API) responseCheck(o *Operation, pl *plan, mode string) (*responseCheck, error) {
	switch mode {
	case "", "off":
		return nil, nil
	case "log", "fail":
	default:
		return nil, fmt.Errorf("apifirst: configuration apifirst.responses = %q: want off, log or fail", mode)
	}
	c := &responseCheck{api: a, op: o, fail: mode == "fail"}
	if pl.success != nil {
		v, err := schema.CompileFor(pl.success, a.reg, schema.Response)
		if err != nil {
			return nil, fmt.Errorf("apifirst: %s: success response: %w", o, err)
		}
		c.valid = v
	}
	return c, nil
}

// Projection is implemented by outputs that leave properties out at the
// client's request (data.Projected with a fields filter): the response
// check holds them to the schema's types but not to its required
// properties.
type Projection interface {
	Projects() bool
}

// CodeResponseContract is the error code of a response that breaks the
// document, answered in its stead when apifirst.responses is "fail".
const CodeResponseContract = "RESPONSE_CONTRACT"

func (c *responseCheck) output(ctx context.Context, out any) error {
	if c.valid == nil {
		return nil
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil // the REST server reports what it cannot write
	}
	tree, err := schema.Parse(b, 0)
	if err != nil {
		return nil
	}
	details := c.valid.Validate(tree)
	if p, ok := out.(Projection); ok && p.Projects() {
		details = slices.DeleteFunc(details, func(d schema.Detail) bool { return d.Code == "required" })
	}
	if len(details) == 0 {
		return nil
	}
	c.api.log.Error("apifirst: a response breaks the contract", "operation", c.op.ID, "method", c.op.Method, "path", c.op.Path, "at", c.api.parsed.At(c.op.Pointer()), "details", details)
	if !c.fail {
		return nil
	}
	return &rest.Error{Status: http.StatusInternalServerError, Code: CodeResponseContract, Details: details,
		Message: fmt.Sprintf("The response of %s does not match the API document.", c.op.ID)}
}

// failure logs an error status the operation does not document.
func (c *responseCheck) failure(ctx context.Context, err error) error {
	status := rest.MapError(err).Status
	key := strconv.Itoa(status)
	rs := c.op.Op.Responses
	if rs[key] != nil || rs[key[:1]+"XX"] != nil || rs[key[:1]+"xx"] != nil || rs["default"] != nil {
		return err
	}
	c.api.log.Error("apifirst: an error status the document does not list", "operation", c.op.ID, "method", c.op.Method, "path", c.op.Path, "status", status, "at", c.api.parsed.At(c.op.Pointer()))
	return err
}
