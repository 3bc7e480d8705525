// Package tracingservice traces the calls of the application's web
// services: every request a service sends (each attempt, each redirect)
// is a client span, child of the span of the API request that made it,
// and carries its traceparent to the service. It wraps every service's
// transport through the service component's Transports point, and is a
// component of its own so that an application that traces requests but
// calls no service does not link the service layer.
package tracingservice

import (
	"net/http"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/service"
	"github.com/backplane-dev/backplane/components/tracing"
	"github.com/backplane-dev/backplane/kernel"
)

// Component returns the component that adds a client span per request
// of every service. It needs tracing.Component.
func Component() backplane.Component {
	return backplane.NewComponent("tracing.service", func(app *backplane.App) error {
		app.Mount(backplane.Extension(service.Transports, "tracing",
			kernel.Ctor1(func(t *tracing.Tracing) (service.TransportWrapper, error) { return wrapper{t}, nil }, tracing.Key)))
		return nil
	})
}

type wrapper struct{ t *tracing.Tracing }

var _ service.TransportWrapper = wrapper{}

func (w wrapper) WrapTransport(_ string, rt http.RoundTripper) http.RoundTripper {
	return w.t.Transport(rt)
}
