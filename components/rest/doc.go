// Package rest is Backplane's REST component: an HTTP server on echo/v4
// whose routes are typed Go functions. A route's input struct says, with
// tags, where each value comes from; the server reads, converts and
// validates the request into it, calls the handler, and writes its output
// as JSON or its error in LoopBack's error envelope. The same declaration
// describes the route ([apidoc.Route], package
// github.com/backplane-dev/backplane/components/apidoc), which a document
// builder such as the openapi component reads. The server knows no
// document builder, no explorer and no swag: those components extend it
// through its [Mounts] point, and an application that does not mount them
// does not link them.
//
// # The component
//
//	app := backplane.New("todo",
//		config.Component(),
//		rest.Component(),
//		openapi.Component(),
//		explorer.Component(),
//	)
//	app.Mount(backplane.Controller(&TodoController{}))
//	app.Main()
//
// [Component] binds the [*Server] at [ServerKey], as an observer of the
// "server" lifecycle group, declares the "rest" configuration section
// ([Config], with settings.Declare) and the extension points below, and
// publishes the server as an [apidoc.Describer] (extension point
// apidoc.Point, name "rest"): [Server.DescribeAPI] gives the routes'
// descriptions, base path included, and their named schemas. [WithAddr],
// [WithBasePath] and [WithConfig] set the section's defaults; when the
// config component is mounted, the HOST and PORT environment variables
// (declared as aliases of rest.host and rest.port, a layer above the
// defaults), files, <APP>_REST__* variables and --set win over them. The
// server listens on 127.0.0.1:3000 unless told otherwise; port 0 picks a
// free port.
//
// # Routes
//
// A [Controller] declares its routes in Routes; the server resolves every
// binding tagged controller (what App.Controller binds) once, with its
// dependencies injected, when it initializes. [AddRoutes] declares routes
// without a controller.
//
//	func (c *TodoController) Routes(r *rest.Router) {
//		rest.Get(r, "/todos/{id}", c.FindByID, rest.Errors(404, rest.CodeEntityNotFound))
//		rest.Post(r, "/todos", c.Create, rest.Status(201))
//	}
//
//	type FindInput struct {
//		ID     int64  `path:"id"`
//		Fields string `query:"fields" maxLength:"200"`
//	}
//
//	func (c *TodoController) FindByID(ctx context.Context, in *FindInput) (Todo, error)
//
// A [Handler] is func(ctx, *I) (O, error). [Get], [Post], [Put], [Patch],
// [Delete] and [Handle] declare one; paths are OpenAPI templates
// ("/todos/{id}"). Fields of I are read from the path (path:"id"), the
// query (query:"q"), headers (header:"X-Tenant"), cookies (cookie:"sid")
// and the body (body:"new", body:"partial", body:"optional", or a field
// named Body); the validation tags of their types (required, minLength,
// maximum, pattern, enum, ...) are their JSON Schema, checked on every
// request. [Empty] is the input of handlers that read nothing, [NoContent]
// the output of those that answer 204. Route options ([OperationID],
// [Summary], [Tags], [Status], [Errors], [Security], [Hidden],
// [Intercept], [Use], ...) say the rest; [Router.Group] shares a prefix
// and options. Mistakes — a path parameter without its field, a route
// declared twice, a bad tag value, an output JSON cannot carry — fail the
// start with the route named, all of them at once.
//
// A handler's context is a [*Request] ([RequestFrom]): the *http.Request,
// the response's headers, the matched [Route], and a request-scoped child
// of the application's context ([Request.Scope]).
//
// # Errors
//
// Every error a client sees is the envelope
//
//	{"error":{"statusCode":404,"name":"NotFoundError","message":"...","code":"ENTITY_NOT_FOUND"}}
//
// A handler returns an [*Error] ([NewError]), or any error with a
// StatusCode() int method (and optionally ErrorCode, ErrorName and
// ErrorDetails). [ErrorMapper]s, added with [AddErrorMapper], translate
// other errors first; [MapError] holds the built-in rules. Anything
// unknown is a 500 whose cause is logged and never sent. The codes
// Backplane itself answers with are the Code constants: 422
// VALIDATION_FAILED for a body that does not match its schema (with one
// detail per problem), 400 INVALID_PARAMETER_VALUE, 404 NOT_FOUND for an
// unknown path or method, and so on.
//
// # Extension points
//
// [Routes], [Middlewares], [BodyParsers], [Mounts] and [ErrorMappers]
// are read once, when the server initializes. [AddMiddleware], [Mount],
// [MountEcho] and [Static] add to them; [Router.Echo] declares a route
// served by a plain echo handler. A [Mounter] mounts handlers beside the
// routes (with the server's echo instance and configuration) and may
// fail the start: the openapi component serves the document that way,
// the explorer its page.
//
// # Interceptors and middleware
//
// Every typed route handler runs inside the kernel's interceptors
// (kernel.Interceptor): the application's global ones (bindings marked
// kernel.AsInterceptor, in the group order bound at
// kernel.InterceptorOrder), then those of its controller's binding
// (kernel.Intercept, given to App.Controller), then the route's own
// ([Intercept]). An interceptor sees the operation (inv.Target, the
// controller's key; inv.Method, the operationId or "GET /path"), the
// parsed input (inv.Args[0], a pointer the handler will receive), the
// [*Route] (inv.Detail) and the request (RequestFrom(ctx)); it may answer
// instead of the handler. The list is resolved at start; a route no
// interceptor applies to calls its handler directly.
//
//	rest.Get(r, "/secret", c.Secret, rest.Intercept(requireAPIKey))
//
// Middleware (echo.MiddlewareFunc, [AddMiddleware]) runs around every
// request, outside the handler and its input parsing, ordered by
// group in the application's order ([MiddlewareOrder]: logging, cors,
// authentication, default, then other groups by name, unless the
// application binds its own), then rank, then key.
//
// # After the response, and at stop
//
// [Finishers] are called once per request after the response is
// decided, with an [Exchange]: final status, size, duration, request id
// and the route template ([Server.RouteTemplate]; "" for unknown paths,
// so it is a bounded metric label). Bound finishers, or rest.accessLog,
// also turn on request ids: a valid incoming X-Request-ID is kept, else
// one is generated; it is echoed back and carried by the context
// ([RequestID]). [ShutdownHooks] run in [Server.Stop] while the server
// still serves, before it stops accepting: a readiness drain.
//
// # Serving
//
// Besides the routes, under [Config.BasePath], the server answers
// whatever the [Mounts] mount: the health component's /health, /live and
// /ready, the openapi component's document at /openapi.json,
// /openapi.yaml and /openapi-3.1.json, the explorer at /explorer/, each
// turned off by its own component's configuration. [Server.Init] builds
// everything and fails on wiring and schema mistakes before anything
// listens; [Server.Start] listens; [Server.Stop] drains the requests in
// flight. After Init, [Server.ServeHTTP] serves in process, without a
// listener.
//
// For tests, package
// github.com/backplane-dev/backplane/components/rest/resttest starts an
// application on a free port and gives the test a client.
package rest
