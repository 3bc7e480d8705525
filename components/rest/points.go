package rest

import (
	"github.com/labstack/echo/v4"

	"github.com/backplane-dev/backplane/extension"
)

// Extension points of the REST component.
var (
	// Routes are route declarers beside controllers: any component can
	// contribute routes without being a controller.
	Routes = extension.Point[Controller]("rest.routes")
	// Middlewares is echo middleware around every request, ordered by
	// group (see [MiddlewareGroups]) then by the point's order.
	Middlewares = extension.Point[echo.MiddlewareFunc]("rest.middleware")
	// Interceptors wrap every typed route handler, outermost first.
	Interceptors = extension.Point[Interceptor]("rest.interceptors")
	// BodyParsers read request bodies by media type.
	BodyParsers = extension.Point[BodyParser]("rest.bodyParsers")
	// EchoMounts receive the echo instance at start, to mount existing
	// echo handlers and groups.
	EchoMounts = extension.Point[func(e *echo.Echo, base *echo.Group)]("rest.echoMounts")
)

// Middleware groups, outermost first.
const (
	GroupLogging        = "logging"
	GroupCORS           = "cors"
	GroupAuthentication = "authentication"
	GroupDefault        = "default"
)

// MiddlewareGroups is the order of middleware groups, outermost first.
// Middleware of a group not listed runs after these.
var MiddlewareGroups = []string{GroupLogging, GroupCORS, GroupAuthentication, GroupDefault}

// TagMiddlewareGroup is the tag naming a middleware binding's group.
const TagMiddlewareGroup = "rest.middleware.group"
