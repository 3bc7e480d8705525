package bindings

import (
	"io"
	"log/slog"

	"github.com/backplane-dev/backplane/kernel"
)

// Well-known keys.
var (
	// AppName is the application's name, as given to backplane.New.
	AppName = kernel.NewKey[string]("application.name")
	// AppVersion is the application's version string, when set.
	AppVersion = kernel.NewKey[string]("application.version")
	// Logger is the application's structured logger.
	Logger = kernel.NewKey[*slog.Logger]("logger")
	// Stdout is where commands write their output (os.Stdout by default).
	Stdout = kernel.NewKey[io.Writer]("application.stdout")
	// ConfigFiles lists configuration files named on the command line
	// (--config) or by the <APP>_CONFIG environment variable.
	ConfigFiles = kernel.NewKey[[]string]("config.files")
	// ConfigOverrides lists "path=value" overrides from --set flags; they
	// win over every other configuration layer.
	ConfigOverrides = kernel.NewKey[[]string]("config.overrides")
)

// Well-known tags.
const (
	// TagController marks a controller binding; its value declares routes.
	TagController = "controller"
	// TagObserver marks a lifecycle observer.
	TagObserver = "lifecycle.observer"
	// TagObserverGroup names an observer's group (see the Group constants).
	TagObserverGroup = "lifecycle.group"
	// TagComponent marks the binding of a mounted component.
	TagComponent = "component"
	// TagExtensionPoint marks the binding of an extension point; its value
	// is the point's name.
	TagExtensionPoint = "extension.point"
	// TagExtensionFor marks an extension; its value is the point's name.
	TagExtensionFor = "extension.for"
	// TagHealthCheck marks a health check contributed to readiness.
	TagHealthCheck = "health.check"
)

// Lifecycle group names.
const (
	GroupConfig     = "config"
	GroupDatasource = "datasource"
	GroupDefault    = "default"
	GroupServer     = "server"
)
