// Package authorization decides whether an authenticated principal may
// call a route, as LoopBack's @loopback/authorization does: voters
// (allow, deny, abstain) decide by LoopBack's matrix — any deny denies,
// otherwise any allow allows, and when every voter abstains the
// default decision ("authorization.defaultDecision", deny by default).
//
//	app := backplane.New("todo", config.Component(), rest.Component(),
//		authentication.Component(authentication.WithDefault("jwt")), jwt.Component(),
//		authorization.Component(),
//	)
//
//	rest.Delete(r, "/todos/{id}", c.Delete, authorization.Roles("admin"))
//	rest.Patch(r, "/todos/{id}", c.Update, authorization.Scopes("todo:write"))
//	admin := r.Group("/admin", authorization.Roles("admin")) // a controller's routes
//
// A route declares what it requires with [Roles] (any one of them),
// [Scopes] (all of them), its own voters ([Vote]), or just [Authorize]
// (the application's voters decide). The application's voters are
// extensions of [Voters] and vote on every route that declares
// authorization. Routes that declare nothing are not authorized
// (authentication alone protects them).
//
// It runs after authentication and before the route's parameters and
// body are read: a denied request gets 403 ACCESS_DENIED in LoopBack's
// envelope whatever it sends; the document lists the 403.
//
// # Object-level checks
//
// A voter sees the request's path and query ([Request].HTTP), so it
// can allow a principal only their own records ("/users/{id}" with the
// principal's id); checks that need the record itself belong in the
// handler or the repository (a filter on the owner), where it is read.
package authorization
