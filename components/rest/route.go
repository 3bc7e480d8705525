package rest

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/backplane-dev/backplane/components/apidoc"
	"github.com/backplane-dev/backplane/components/schema"
	"github.com/backplane-dev/backplane/kernel"
)

// Controller is implemented by controllers that serve REST routes. The
// server resolves each controller binding once, when it starts (its
// dependencies injected), and calls Routes to declare its routes.
//
//	func (c *TodoController) Routes(r *rest.Router) {
//		rest.Get(r, "/todos/{id}", c.FindByID, rest.OperationID("findTodoById"))
//	}
type Controller interface {
	Routes(r *Router)
}

// Router collects routes. Controllers and components receive one.
type Router struct {
	srv    *Server
	prefix string
	tags   []string
	opts   []RouteOption
	errs   *[]error // shared by a router and its groups
	owner  string
	bound  *kernel.Binding // the controller's binding, when there is one
}

// Group returns a router whose routes share a path prefix and options.
func (r *Router) Group(prefix string, opts ...RouteOption) *Router {
	return &Router{srv: r.srv, prefix: r.prefix + prefix, tags: r.tags, opts: append(append([]RouteOption(nil), r.opts...), opts...), owner: r.owner, bound: r.bound, errs: r.errs}
}

// Fail records an error that fails the server's start: a route
// declarer that cannot declare its routes says why here.
func (r *Router) Fail(err error) {
	if err != nil {
		*r.errs = append(*r.errs, err)
	}
}

// Route is a declared route: what the server serves, and its
// description ([apidoc.Route]), which the server fills once when it plans
// the route and publishes for documents: Method, Path (OpenAPI form, base
// path excluded: "/todos/{id}"), OperationID, Summary, Tags, Parameters,
// Body, Success (its Status is the route's success status), Errors,
// Security, Deprecated, Hidden.
type Route struct {
	apidoc.Route

	// Owner is what declared the route ("controllers.TodoController").
	Owner string

	in           *inputPlan
	outType      reflect.Type
	noContent    bool
	interceptors []kernel.Interceptor // the route's own
	chain        []kernel.Interceptor // global, the controller's, the route's; nil when none
	binding      *kernel.Binding      // the controller's
	op           string               // the operation an interceptor sees
	middleware   []echo.MiddlewareFunc
	handler      echo.HandlerFunc // the echo handler, before interceptors
	call         func(ctx context.Context, in any) (any, error)
	raw          bool // a plain echo handler: no typed input or output
	contentType  string
	outVariant   schema.Variant
	bodySchema   *schema.Schema
	outSchema    *schema.Schema
	consumes     []string
	contract     *Contract
	meta         map[any]any // see [Meta]
	strictQuery  bool
}

// plan sets the interceptors that run around the route's handler, at
// start: global, then the controller binding's, then the route's own.
// With none, the handler is called directly, with no invocation built.
func (rt *Route) plan(global []kernel.Interceptor) {
	var bound []kernel.Interceptor
	if rt.binding != nil {
		bound = rt.binding.Interceptors()
	}
	rt.chain = slices.Concat(global, bound, rt.interceptors)
	// The operation an interceptor sees: the operationId, or method and
	// path.
	rt.op = rt.OperationID
	if rt.op == "" {
		rt.op = rt.Method + " " + rt.Path
	}
}

// RouteError documents an error response a route returns beyond those
// derived from its inputs.
type RouteError = apidoc.ErrorResponse

// RouteOption configures a route.
type RouteOption func(*Route)

// OperationID sets the operationId (derived from method and path
// otherwise).
func OperationID(id string) RouteOption { return func(r *Route) { r.OperationID = id } }

// Summary sets the operation's summary.
func Summary(s string) RouteOption { return func(r *Route) { r.Summary = s } }

// Description sets the operation's description.
func Description(s string) RouteOption { return func(r *Route) { r.Description = s } }

// Tags adds OpenAPI tags.
func Tags(tags ...string) RouteOption {
	return func(r *Route) { r.Tags = append(r.Tags, tags...) }
}

// Status sets the success status (200 by default, 204 for [NoContent]).
func Status(code int) RouteOption { return func(r *Route) { r.Success.Status = code } }

// Deprecated marks the operation deprecated.
func Deprecated() RouteOption { return func(r *Route) { r.Deprecated = true } }

// Hidden keeps the route out of the document.
func Hidden() RouteOption { return func(r *Route) { r.Hidden = true } }

// Security sets the operation's security requirements; with no
// arguments the route is public in a document that requires security.
func Security(reqs ...map[string][]string) RouteOption {
	return func(r *Route) {
		r.Security = make([]apidoc.SecurityRequirement, 0, len(reqs))
		for _, req := range reqs {
			r.Security = append(r.Security, req)
		}
	}
}

// Errors documents error responses the handler returns, by status and
// code: rest.Errors(404, "ENTITY_NOT_FOUND").
func Errors(status int, codes ...string) RouteOption {
	return func(r *Route) { r.Errors = append(r.Errors, apidoc.ErrorResponse{Status: status, Codes: codes}) }
}

// Intercept adds interceptors around this route's handler (around every
// route of a [Router.Group] given it), inside the global ones and those
// of the controller's binding ([kernel.Intercept]). An interceptor sees
// the parsed input (inv.Args[0], a pointer to the handler's input), the
// route (inv.Detail, a *Route) and the request (RequestFrom(ctx)), and
// may return instead of calling next: an error is answered like the
// handler's.
func Intercept(i ...kernel.Interceptor) RouteOption {
	return func(r *Route) { r.interceptors = append(r.interceptors, i...) }
}

// Use adds echo middleware to this route only.
func Use(mw ...echo.MiddlewareFunc) RouteOption {
	return func(r *Route) { r.middleware = append(r.middleware, mw...) }
}

// ContentType sets the success response's content type for handlers
// whose output is a string or []byte ("text/plain; charset=utf-8" by
// default for strings, "application/octet-stream" for bytes).
func ContentType(ct string) RouteOption { return func(r *Route) { r.contentType = ct } }

// OutputVariant describes the output in the document as a schema
// variant of its type: schema.WithRelations for results that an include
// can fill ("TodoWithRelations").
func OutputVariant(v schema.Variant) RouteOption { return func(r *Route) { r.outVariant = v } }

// BodySchema replaces the schema the body is validated against (and
// documented with): for bodies whose Go type says little, such as a
// map[string]any holding a model declared at run time. Named schemas it
// refers to must be in the router's registry ([Router.Schemas]).
func BodySchema(s *schema.Schema) RouteOption { return func(r *Route) { r.bodySchema = s } }

// StrictQuery makes the route answer 400 INVALID_PARAMETER_VALUE to a
// query parameter its input does not declare (a declared parameter p
// also covers its exploded keys, p[...]). Routes that write many
// entities use it: LoopBack ignores unknown parameters, so a misspelled
// ?filter[where][id]=7 on PATCH /todos would change every row.
func StrictQuery() RouteOption { return func(r *Route) { r.strictQuery = true } }

// OutputSchema replaces the documented schema of the output.
func OutputSchema(s *schema.Schema) RouteOption { return func(r *Route) { r.outSchema = s } }

// Schemas returns the registry of the server's named schemas, to add
// hand-written ones that routes refer to.
func (r *Router) Schemas() *schema.Registry { return r.srv.schemas }

// NoContent is the output of handlers that answer 204 with no body.
type NoContent struct{}

// Empty is the input of handlers that read nothing from the request.
type Empty struct{}

// Handler is a typed handler: it receives its parsed, validated input
// and returns its output, which is written as JSON with the route's
// status, or an error, which is written in the error envelope.
type Handler[I, O any] func(ctx context.Context, in *I) (O, error)

// Get declares a GET route. Paths use OpenAPI templates: "/todos/{id}".
func Get[I, O any](r *Router, path string, h Handler[I, O], opts ...RouteOption) {
	Handle(r, http.MethodGet, path, h, opts...)
}

// Post declares a POST route.
func Post[I, O any](r *Router, path string, h Handler[I, O], opts ...RouteOption) {
	Handle(r, http.MethodPost, path, h, opts...)
}

// Put declares a PUT route.
func Put[I, O any](r *Router, path string, h Handler[I, O], opts ...RouteOption) {
	Handle(r, http.MethodPut, path, h, opts...)
}

// Patch declares a PATCH route.
func Patch[I, O any](r *Router, path string, h Handler[I, O], opts ...RouteOption) {
	Handle(r, http.MethodPatch, path, h, opts...)
}

// Consumes sets the media types the route's request body may have;
// application/json alone when not given, as LoopBack's routes accept. A
// body of any other media type is refused with 415
// UNSUPPORTED_MEDIA_TYPE before it is parsed, and the document lists
// exactly these types under the operation's requestBody. Every media
// type other than JSON needs a parser on the [BodyParsers] point (forms,
// application/x-www-form-urlencoded, are built in); a type without one
// fails the start. A JSON route given application/json also accepts
// structured-syntax types such as application/merge-patch+json.
//
// Accepting forms lets a page on another site send the route a body
// without a CORS preflight: declare them only on routes meant for HTML
// forms, and never on a route that trusts a cookie alone.
func Consumes(mediaTypes ...string) RouteOption {
	return func(r *Route) { r.consumes = append(r.consumes, mediaTypes...) }
}

// Delete declares a DELETE route.
func Delete[I, O any](r *Router, path string, h Handler[I, O], opts ...RouteOption) {
	Handle(r, http.MethodDelete, path, h, opts...)
}

// Handle declares a route for any method.
func Handle[I, O any](r *Router, method, path string, h Handler[I, O], opts ...RouteOption) {
	rt := r.newRoute(method, path, opts)
	reg := r.srv.schemas
	if rt.contract != nil && rt.contract.Schemas != nil {
		reg = rt.contract.Schemas
	}
	in, err := planInput(reflect.TypeFor[I](), rt.Path, reg)
	if err != nil {
		r.Fail(fmt.Errorf("rest: %s %s: %w", method, path, err))
		return
	}
	if rt.contract != nil {
		if err := rt.contract.apply(rt, in, reg); err != nil {
			r.Fail(fmt.Errorf("rest: %s %s: %w", method, path, err))
			return
		}
	}
	if rt.bodySchema != nil && in.body != nil {
		v, err := schema.Compile(rt.bodySchema, reg)
		if err != nil {
			r.Fail(fmt.Errorf("rest: %s %s: body schema: %w", method, path, err))
			return
		}
		b := *in.body
		b.schema, b.valid, b.kind = rt.bodySchema, v, bodyJSON
		in.body = &b
	}
	if err := r.srv.planConsumes(rt, in); err != nil {
		r.Fail(fmt.Errorf("rest: %s %s: %w", method, path, err))
		return
	}
	in.strictQuery = rt.strictQuery
	rt.in = in
	rt.outType = reflect.TypeFor[O]()
	rt.noContent = rt.outType == reflect.TypeFor[NoContent]()
	if rt.Success.Status == 0 {
		rt.Success.Status = http.StatusOK
		if rt.noContent {
			rt.Success.Status = http.StatusNoContent
		}
	}
	if err := rt.describe(reg); err != nil {
		r.Fail(fmt.Errorf("rest: %s %s: output: %w", method, path, err))
		return
	}
	rt.call = func(ctx context.Context, in any) (any, error) {
		return h(ctx, in.(*I))
	}
	fast := func(ctx context.Context, in *I) (O, error) { return h(ctx, in) }
	rt.handler = typedHandler(r.srv, rt, fast)
	r.add(rt)
}

// Echo declares a route served by a plain echo handler. Its document
// entry has only what opts say.
func (r *Router) Echo(method, path string, h echo.HandlerFunc, opts ...RouteOption) {
	rt := r.newRoute(method, path, opts)
	rt.raw = true
	rt.handler = h
	if rt.Success.Status == 0 {
		rt.Success.Status = http.StatusOK
	}
	r.add(rt)
}

func (r *Router) newRoute(method, path string, opts []RouteOption) *Route {
	rt := &Route{Route: apidoc.Route{Method: strings.ToUpper(method), Path: r.prefix + path}, Owner: r.owner, binding: r.bound}
	rt.Tags = append(rt.Tags, r.tags...)
	for _, o := range r.opts {
		o(rt)
	}
	for _, o := range opts {
		o(rt)
	}
	return rt
}

func (r *Router) add(rt *Route) {
	r.Fail(r.srv.addRoute(rt))
}

// echoPath turns "/todos/{id}" into echo's "/todos/:id".
func echoPath(p string) string {
	if !strings.Contains(p, "{") {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '{' {
			j := strings.IndexByte(p[i:], '}')
			if j > 0 {
				b.WriteByte(':')
				b.WriteString(p[i+1 : i+j])
				i += j
				continue
			}
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

// pathParams lists the names in a path template.
func pathParams(p string) []string {
	var out []string
	for {
		i := strings.IndexByte(p, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(p[i:], '}')
		if j < 0 {
			return out
		}
		out = append(out, p[i+1:i+j])
		p = p[i+j+1:]
	}
}
