package tracing_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/tracing"
)

// Example traces one request that arrives with a traceparent: the span
// is named by the route template and joins the caller's trace.
func Example() {
	spans := tracetest.NewInMemoryExporter()
	app := backplane.New("svc",
		backplane.WithLogger(slog.New(slog.DiscardHandler)),
		rest.Component(),
		tracing.Component(tracing.WithSyncer(spans)),
		rest.AddRoutes("todos", func(r *rest.Router) {
			rest.Get(r, "/todos/{id}", func(_ context.Context, in *struct {
				ID int `path:"id"`
			}) (string, error) {
				return "todo", nil
			})
		}),
	)
	ctx := context.Background()
	if err := app.Init(ctx); err != nil {
		fmt.Println(err)
		return
	}
	defer app.Stop(ctx)
	srv, _ := rest.ServerOf(app)
	req := httptest.NewRequest("GET", "/todos/7", nil)
	req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)

	s := spans.GetSpans()[0]
	fmt.Println(s.Name, s.SpanContext.TraceID(), s.Parent.SpanID())
	// Output:
	// GET /todos/{id} 4bf92f3577b34da6a3ce929d0e0e4736 00f067aa0ba902b7
}
