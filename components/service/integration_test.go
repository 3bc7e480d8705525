package service_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/health"
	"github.com/backplane-dev/backplane/components/metrics"
	"github.com/backplane-dev/backplane/components/metrics/metricsservice"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/components/service"
	"github.com/backplane-dev/backplane/components/service/restconn"
	"github.com/backplane-dev/backplane/components/service/servicetest"
	"github.com/backplane-dev/backplane/components/tracing"
	"github.com/backplane-dev/backplane/components/tracing/tracingservice"
)

type proxy struct {
	Things *service.Service `inject:"services.things"`
}

func (p *proxy) Routes(r *rest.Router) {
	rest.Get(r, "/things/{id}", func(ctx context.Context, in *struct {
		ID int `path:"id" json:"id"`
	}) (thing, error) {
		var out thing
		err := p.Things.Call(ctx, "get", in, &out)
		return out, err
	})
}

// TestOperationsComponents: a call is a client span of the request's
// trace, carries its traceparent, is counted by metricsservice, and the
// service is a readiness check.
func TestOperationsComponents(t *testing.T) {
	stub := servicetest.New(t)
	stub.JSON("GET", "/things/7", 200, thing{ID: 7, Name: "seven"})
	stub.JSON("GET", "/healthz", 200, map[string]string{"status": "ok"})
	exp := tracetest.NewInMemoryExporter()
	app := backplane.New("proxy", backplane.WithLogger(slog.New(slog.DiscardHandler)),
		config.Component(), rest.Component(), health.Component(),
		tracing.Component(tracing.WithSyncer(exp)), tracingservice.Component(),
		metrics.Component(), metricsservice.Component(),
		service.Declare("things", service.WithConnector("rest"),
			service.Tune(func(c *service.Config) { c.HealthPath = "/healthz" }),
			restconn.Define(restconn.Operation{Name: "get", URL: "/things/{id}"})),
		backplane.Controller(&proxy{}),
	)
	c := resttest.Start(t, app, stub.Set("things"))
	var got thing
	c.Get("/things/7").Status(200).JSON(&got)
	if got.Name != "seven" {
		t.Fatalf("got %+v", got)
	}
	tp := stub.Requests()[0].Header.Get("Traceparent")
	if tp == "" {
		t.Fatal("no traceparent sent to the service")
	}
	var server, client *tracetest.SpanStub
	for _, s := range exp.GetSpans() {
		switch s.SpanKind {
		case trace.SpanKindServer:
			server = &s
		case trace.SpanKindClient:
			client = &s
		}
	}
	if server == nil || client == nil || client.Parent.SpanID() != server.SpanContext.SpanID() ||
		!strings.Contains(tp, client.SpanContext.SpanID().String()) {
		t.Errorf("want a client span, child of the server span, sent as traceparent %s", tp)
	}
	body := string(c.Get("/metrics").Status(200).Body)
	for _, want := range []string{
		`service_calls_total{operation="get",outcome="ok",service="things"} 1`,
		`service_breaker_state{service="things"} 0`,
		`service_call_attempts_total{operation="get",service="things"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	ready := string(c.Get("/ready").Status(200).Body)
	if !strings.Contains(ready, `"name":"services.things","state":"UP"`) {
		t.Errorf("ready: %s", ready)
	}
	stub.Reply("GET", "/healthz", http.StatusServiceUnavailable, "text/plain", nil)
	c.Get("/ready").Status(503)
}
