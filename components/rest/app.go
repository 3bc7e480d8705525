package rest

import (
	"context"

	"github.com/labstack/echo/v4"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/kernel"
)

// Helpers for applications and components: each returns a component that
// adds to one of the server's extension points, mounted like any other
// (backplane.New(…, rest.AddRoutes(…)) or app.Mount(rest.AddRoutes(…))).

// AddRoutes is a component that contributes route declarations from a
// component or an application without a controller.
func AddRoutes(name string, fn func(r *Router)) backplane.Component {
	return backplane.Extension(Routes, name, kernel.Value[Controller](RoutesFunc(fn)))
}

// RoutesFunc adapts a function to [Controller].
type RoutesFunc func(r *Router)

// Routes calls f.
func (f RoutesFunc) Routes(r *Router) { f(r) }

// AddMiddleware is a component that adds echo middleware to every
// request, in group (ordered by the application's [MiddlewareOrder]; ""
// for the default group).
func AddMiddleware(name, group string, mw echo.MiddlewareFunc) backplane.Component {
	return backplane.Extension(Middlewares, name, kernel.Value(mw), middlewareGroups.InGroup(group))
}

// AddErrorMapper is a component that adds a status code mapping.
func AddErrorMapper(name string, m ErrorMapper) backplane.Component {
	return backplane.Extension(ErrorMappers, name, kernel.Value(m))
}

// Mount is a component that adds m to the [Mounts]: it mounts its
// handlers when the server builds.
func Mount(name string, m Mounter) backplane.Component {
	return backplane.Extension(Mounts, name, kernel.Value(m))
}

// MountEcho is a component that gives fn the echo instance and the
// base-path group when the server builds: mount existing echo handlers,
// groups and middleware there.
func MountEcho(name string, fn func(e *echo.Echo, base *echo.Group)) backplane.Component {
	return Mount(name, MounterFunc(func(_ context.Context, s *Server) error {
		fn(s.echo, s.echo.Group(s.cfg.BasePath))
		return nil
	}))
}

// ServerOf returns the application's REST server.
func ServerOf(app *backplane.App) (*Server, error) {
	return kernel.Resolve(context.Background(), app.Context(), ServerKey)
}
