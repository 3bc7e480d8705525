package rest

import (
	"context"

	"github.com/labstack/echo/v4"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/extension"
	"github.com/backplane-dev/backplane/kernel"
)

// Helpers for applications and components: each adds to one of the
// server's extension points.

// AddRoutes contributes route declarations from a component or an
// application without a controller.
func AddRoutes(app *backplane.App, name string, fn func(r *Router)) {
	extension.Add(app.Context(), Routes, name, kernel.Value[Controller](RoutesFunc(fn)))
}

// RoutesFunc adapts a function to [Controller].
type RoutesFunc func(r *Router)

// Routes calls f.
func (f RoutesFunc) Routes(r *Router) { f(r) }

// AddMiddleware adds echo middleware to every request, in group (ordered
// by the application's [MiddlewareOrder]; "" for the default group).
func AddMiddleware(app *backplane.App, name, group string, mw echo.MiddlewareFunc) {
	extension.Add(app.Context(), Middlewares, name, kernel.Value(mw), middlewareGroups.InGroup(group))
}

// AddErrorMapper adds a status code mapping.
func AddErrorMapper(app *backplane.App, name string, m ErrorMapper) {
	extension.Add(app.Context(), ErrorMappers, name, kernel.Value(m))
}

// Mount adds m to the [Mounts]: it mounts its handlers when the server
// builds.
func Mount(app *backplane.App, name string, m Mounter) {
	extension.Add(app.Context(), Mounts, name, kernel.Value(m))
}

// MountEcho gives fn the echo instance and the base-path group when the
// server builds: mount existing echo handlers, groups and middleware
// there.
func MountEcho(app *backplane.App, name string, fn func(e *echo.Echo, base *echo.Group)) {
	Mount(app, name, MounterFunc(func(_ context.Context, s *Server) error {
		fn(s.echo, s.echo.Group(s.cfg.BasePath))
		return nil
	}))
}

// ServerOf returns the application's REST server.
func ServerOf(app *backplane.App) (*Server, error) {
	return kernel.Resolve(context.Background(), app.Context(), ServerKey)
}
