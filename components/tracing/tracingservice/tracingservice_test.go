package tracingservice_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/components/service"
	"github.com/backplane-dev/backplane/components/service/restconn"
	"github.com/backplane-dev/backplane/components/service/servicetest"
	"github.com/backplane-dev/backplane/components/tracing"
	"github.com/backplane-dev/backplane/components/tracing/tracingservice"
	"github.com/backplane-dev/backplane/kernel"
)

const parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

// TestServiceCallsJoinTheTrace: a route calls a service; the call is a
// client span, child of the request's span, and the service receives
// the trace.
func TestServiceCallsJoinTheTrace(t *testing.T) {
	stub := servicetest.New(t)
	stub.JSON("GET", "/pets/1", 200, map[string]any{"id": 1})
	exp := tracetest.NewInMemoryExporter()
	var app *backplane.App
	app = backplane.New("svc", backplane.WithLogger(slog.New(slog.DiscardHandler)),
		config.Component(), rest.Component(),
		tracing.Component(tracing.WithSyncer(exp)), tracingservice.Component(),
		service.Declare("pets", service.WithConnector("rest"), service.WithBaseURL(stub.URL),
			restconn.Define(restconn.Operation{Name: "get", URL: "/pets/1?secret=1"})),
		rest.AddRoutes("proxy", func(r *rest.Router) {
			rest.Get(r, "/proxy", func(ctx context.Context, _ *rest.Empty) (map[string]any, error) {
				svc, err := kernel.Resolve(ctx, app.Context(), service.Key("pets"))
				if err != nil {
					return nil, err
				}
				var out map[string]any
				return out, svc.Call(ctx, "get", nil, &out)
			})
		}),
	)
	c := resttest.Start(t, app)
	c.Get("/proxy", "traceparent", parent).Status(200)

	spans := exp.GetSpans()
	var server, client *tracetest.SpanStub
	for i := range spans {
		switch spans[i].SpanKind {
		case trace.SpanKindServer:
			server = &spans[i]
		case trace.SpanKindClient:
			client = &spans[i]
		}
	}
	if server == nil || client == nil {
		t.Fatalf("want a server and a client span, got %d spans", len(spans))
	}
	if client.Parent.SpanID() != server.SpanContext.SpanID() || client.SpanContext.TraceID().String() != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Errorf("the client span is not the request span's child: %v < %v", client.Parent, server.SpanContext)
	}
	attrs := map[string]string{}
	for _, a := range client.Attributes {
		attrs[string(a.Key)] = a.Value.String()
	}
	if attrs["http.response.status_code"] != "200" || strings.Contains(attrs["url.full"], "secret=1") {
		t.Errorf("client span attributes %v", attrs)
	}
	reqs := stub.Requests()
	if len(reqs) != 1 || !strings.HasPrefix(reqs[0].Header.Get("traceparent"), "00-4bf92f3577b34da6a3ce929d0e0e4736-"+client.SpanContext.SpanID().String()) {
		t.Errorf("the service received traceparent %q", reqs[0].Header.Get("traceparent"))
	}
}
