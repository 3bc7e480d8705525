package rest

import (
	"context"

	"github.com/labstack/echo/v4"

	"github.com/backplane-dev/backplane/extension"
	"github.com/backplane-dev/backplane/kernel"
)

// Extension points of the REST component.
var (
	// Routes are route declarers beside controllers: any component can
	// contribute routes without being a controller.
	Routes = extension.Point[Controller]("rest.routes")
	// Middlewares is echo middleware around every request, ordered by
	// group (see [MiddlewareOrder]), then rank, then key.
	Middlewares = extension.Point[echo.MiddlewareFunc]("rest.middleware")
	// BodyParsers read request bodies by media type.
	BodyParsers = extension.Point[BodyParser]("rest.bodyParsers")
	// Mounts mount handlers beside the routes when the server builds:
	// existing echo handlers and groups ([MountEcho]), static files
	// ([Static]), and what other components serve through the server (the
	// openapi document, the explorer).
	Mounts = extension.Point[Mounter]("rest.mounts")
)

// Mounter mounts handlers on the server when it builds, after the routes:
// s.Echo() is the echo instance (paths outside the base path),
// s.Config() the configuration in effect. An error fails the start.
// Mount is called once, from one goroutine.
type Mounter interface {
	Mount(ctx context.Context, s *Server) error
}

// MounterFunc adapts a function to a [Mounter].
type MounterFunc func(ctx context.Context, s *Server) error

// Mount calls f.
func (f MounterFunc) Mount(ctx context.Context, s *Server) error { return f(ctx, s) }

var _ Mounter = MounterFunc(nil)

// Middleware groups, outermost first in the default order.
const (
	GroupLogging        = "logging"
	GroupCORS           = "cors"
	GroupAuthentication = "authentication"
	GroupDefault        = "default"
)

// MiddlewareOrder is the key at which an application binds the order of
// its middleware groups, outermost first. Unbound, it is logging, cors,
// authentication, default, then every other group by name
// ([kernel.Unlisted]). Each application has its own:
//
//	app.Mount(backplane.Provide(rest.MiddlewareOrder, kernel.Value([]string{
//		rest.GroupLogging, "tenant", rest.GroupAuthentication, kernel.Unlisted})))
var MiddlewareOrder = kernel.NewKey[[]string]("rest.middleware.groupOrder")

// TagMiddlewareGroup is the tag naming a middleware binding's group.
const TagMiddlewareGroup = "rest.middleware.group"

// middlewareGroups orders middleware: by group in the order bound at
// MiddlewareOrder, then rank, then key.
var middlewareGroups = kernel.Ordering{
	Key:          MiddlewareOrder,
	Tag:          TagMiddlewareGroup,
	DefaultGroup: GroupDefault,
	Default:      []string{GroupLogging, GroupCORS, GroupAuthentication, GroupDefault, kernel.Unlisted},
}
