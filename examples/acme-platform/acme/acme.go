package acme

import (
	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/components/authentication/jwt"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/explorer"
	"github.com/backplane-dev/backplane/components/health"
	"github.com/backplane-dev/backplane/components/logging"
	"github.com/backplane-dev/backplane/components/metrics"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/tracing"
)

// BasePath is where every Acme service serves its routes. It is locked:
// a configuration that sets rest.basePath to anything else fails the
// start.
const BasePath = "/api"

// New returns an Acme service called name: a Backplane application with
// Acme's defaults (see the package documentation), then components.
func New(name string, components ...backplane.Component) *backplane.App {
	defaults := []backplane.Component{
		logging.Component(),
		config.Component(
			config.Lock("rest.basePath", BasePath),
			config.WithDefaults(map[string]any{"log": map[string]any{"format": "json"}}),
		),
		rest.Component(),
		health.Component(),
		metrics.Component(),
		tracing.Component(),
		authentication.Component(authentication.WithDefault(jwt.Name)),
		jwt.Component(),
		openapi.Component(openapi.WithTitle(name)),
		explorer.Component(),
		auditComponent(),
		rest.CheckRoutes("acme.conventions", Conventions),
	}
	app := backplane.New(name, append(defaults, components...)...)
	app.Command(conventionsCommand())
	app.Command(auditSinksCommand())
	return app
}

// Public opts a route out of authentication: anyone may call it. Acme
// services state it on each public route; every other route needs a
// token.
func Public() rest.RouteOption { return authentication.Public() }
