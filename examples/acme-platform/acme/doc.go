// Package acme is the platform of a (fictional) company, Acme, built on
// Backplane's public API the way a platform team would build one: every
// Acme service is a Backplane application with the company's defaults,
// its own extension point and its own conventions.
//
// [New] returns an application with:
//
//   - configuration in layers (defaults, files, ACME-prefixed environment,
//     --set), with REST's base path locked to /api ([BasePath]);
//   - REST, the OpenAPI document and the explorer, health (/health, /live,
//     /ready), JSON logs, Prometheus metrics and OpenTelemetry tracing;
//   - JWT bearer authentication on every route by default; a route opts
//     out with [Public];
//   - audit: every successful write (POST, PUT, PATCH, DELETE answered
//     2xx) on any route is an [AuditEvent] sent, after the response is
//     decided, to every sink of the [AuditSinks] point, in the point's
//     order. Other components contribute sinks with [AddAuditSink]
//     without Acme knowing them;
//   - conventions checked at start ([Conventions]): every route declares
//     a summary and an operationId in Acme's style (a verb, then a noun,
//     in lowerCamelCase: "createOrder"), or the application refuses to
//     start, naming the route and who declared it;
//   - two commands of its own beside Backplane's (serve, config, openapi,
//     routes, migrate, bindings, help): `conventions` lists the routes
//     and checks them, `audit-sinks` lists the sinks.
//
// A service adds its models, routes and components:
//
//	app := acme.New("orders", sqlite.DataSource("db", sqlite.File("orders.db")))
//	data.Define[Order, int64](app, "db")
//	crud.Expose[Order, int64](app, "/orders")
//	app.Main()
package acme
