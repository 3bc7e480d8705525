// Package authentication authenticates the requests of a REST server,
// as LoopBack's @loopback/authentication does: strategies are
// extensions of the point [Strategies], by name; each route needs
// strategies by name, or the app-wide default; the first that succeeds
// binds a typed [Principal] to the request.
//
//	app := backplane.New("todo", config.Component(), rest.Component(), openapi.Component(),
//		authentication.Component(),
//		jwt.Component(), // the "jwt" strategy
//	)
//
//	authentication:
//	  default: [jwt]
//
// # Choosing strategies
//
// A route's security requirements say which strategies it needs; that
// one declaration is both what is enforced and what the OpenAPI
// document shows. [Require] sets them (any one strategy succeeding is
// enough, tried in the order given), [Public] opts a route out, and a
// route that says nothing needs the default strategies (the
// configuration's default, or [WithDefault]; with no default it is
// public). Given to rest's Router.Group, they apply to a controller's
// routes. rest.Security is the same declaration written as OpenAPI
// requirements: a requirement naming two strategies needs both.
//
//	rest.Get(r, "/whoAmI", c.WhoAmI)                               // the default
//	rest.Post(r, "/users/login", c.Login, authentication.Public()) // anyone
//	rest.Get(r, "/admin/stats", c.Stats, authentication.Require("apiKey", "jwt"))
//
// A name no strategy has fails the start, with a "did you mean".
//
// # The request
//
// Authentication is middleware in rest.GroupAuthentication, so it runs
// before the route's path, query and body are read: a request that is
// not authenticated gets 401, whatever else is wrong with it. The 401
// is LoopBack's error envelope, code [CodeAuthenticationRequired] (no
// credentials) or [CodeInvalidCredentials] (credentials refused, with
// the strategy's reason), and a WWW-Authenticate header per strategy
// the route accepts ("Bearer realm=...").
//
// The principal is in the request's context: [PrincipalFrom] in
// handlers, interceptors and whatever they call; services resolved
// from the request scope inject it from [PrincipalKey].
//
// # The document
//
// Every strategy mounted describes its security scheme
// (components.securitySchemes, under its name), and every operation
// carries its requirements: the route's own, the default's, or
// "security: []" for public ones.
//
// # Writing a strategy
//
// A [Strategy] reads its credentials from the request and returns the
// principal, [ErrNoCredentials] when the request has none of its
// credentials, or an error from [Invalid] when they are wrong. Add it
// to [Strategies] under its name:
//
//	backplane.Extension(authentication.Strategies, "tenantKey", kernel.Value[authentication.Strategy](myStrategy{}))
package authentication
