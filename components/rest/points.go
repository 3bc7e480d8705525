package rest

import (
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
	// EchoMounts receive the echo instance at start, to mount existing
	// echo handlers and groups.
	EchoMounts = extension.Point[func(e *echo.Echo, base *echo.Group)]("rest.echoMounts")
)

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
//	kernel.Bind(app.Context(), rest.MiddlewareOrder, kernel.Value([]string{
//		rest.GroupLogging, "tenant", rest.GroupAuthentication, kernel.Unlisted}))
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
