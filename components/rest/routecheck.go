package rest

import (
	"context"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/extension"
	"github.com/backplane-dev/backplane/kernel"
)

// A RouteCheck inspects every declared route when the server builds,
// before any is mounted and before anything listens: a framework's
// conventions (every route has a summary, operationIds in one style, no
// write without authentication) become start errors instead of review
// comments. A check returns one error naming every route that breaks
// the convention (errors.Join); the start fails with all the checks'
// errors together.
//
// A route's [Route.Summary] is the summary declared with [Summary]; it is
// empty when the route declared none, even though the OpenAPI document
// then shows one derived from the operationId. [Route.Owner] names the
// controller, component or call site that declared the route.
type RouteCheck interface {
	CheckRoutes(ctx context.Context, routes []*Route) error
}

// RouteCheckFunc is a function that is a [RouteCheck].
type RouteCheckFunc func(ctx context.Context, routes []*Route) error

// CheckRoutes calls f.
func (f RouteCheckFunc) CheckRoutes(ctx context.Context, routes []*Route) error {
	return f(ctx, routes)
}

// RouteChecks is the extension point of the [RouteCheck]s, run in the
// point's order.
var RouteChecks = extension.Point[RouteCheck]("rest.routeChecks")

// CheckRoutes is a component that adds check to the [RouteChecks] under
// name.
func CheckRoutes(name string, check RouteCheckFunc) backplane.Component {
	return backplane.Extension(RouteChecks, name, kernel.Value[RouteCheck](check))
}
