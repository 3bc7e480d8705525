package metrics_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/metrics"
	"github.com/backplane-dev/backplane/components/rest"
)

// Example counts two requests to one route and one to an unknown path,
// then reads the request counter from /metrics.
func Example() {
	app := backplane.New("svc",
		backplane.WithLogger(slog.New(slog.DiscardHandler)),
		rest.Component(),
		metrics.Component(),
		rest.AddRoutes("todos", func(r *rest.Router) {
			rest.Get(r, "/todos/{id}", func(_ context.Context, in *struct {
				ID int `path:"id"`
			}) (string, error) {
				return "todo", nil
			})
		}),
	)
	if err := app.Init(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	srv, _ := rest.ServerOf(app)
	for _, p := range []string{"/todos/1", "/todos/2", "/wp-admin.php"} {
		srv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", p, nil))
	}
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	for _, l := range strings.Split(w.Body.String(), "\n") {
		if strings.HasPrefix(l, "http_server_requests_total{") {
			fmt.Println(l)
		}
	}
	// Output:
	// http_server_requests_total{method="GET",route="/todos/{id}",status="2xx"} 2
	// http_server_requests_total{method="GET",route="unmatched",status="4xx"} 1
}
