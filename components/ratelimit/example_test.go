package ratelimit_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/ratelimit"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/kernel"
)

// Example lets a client make two requests at once, then answers 429
// with Retry-After.
func Example() {
	app := backplane.New("svc",
		backplane.WithLogger(slog.New(slog.DiscardHandler)),
		config.Component(), rest.Component(), ratelimit.Component(),
		rest.AddRoutes("ping", func(r *rest.Router) {
			rest.Get(r, "/ping", func(context.Context, *rest.Empty) (string, error) { return "pong", nil })
		}),
	)
	kernel.Bind(app.Context(), bindings.ConfigOverrides, kernel.Value([]string{"rateLimit.rate=0.5", "rateLimit.burst=2"}))
	if err := app.Init(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	srv, _ := rest.ServerOf(app)
	for range 3 {
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest("GET", "/ping", nil))
		fmt.Println(w.Code, w.Header().Get("RateLimit-Remaining"), w.Header().Get("Retry-After"), w.Body.String())
	}
	// Output:
	// 200 1  pong
	// 200 0  pong
	// 429 0 2 {"error":{"statusCode":429,"name":"TooManyRequestsError","message":"Too many requests: this client may make 0.5 requests per second (2 at once); retry after 2 s.","code":"RATE_LIMITED"}}
}
