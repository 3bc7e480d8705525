package authentication_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/kernel"
)

// Example protects every route with a strategy by default and opens
// one: the 401 names the scheme in WWW-Authenticate, and a handler
// reads the principal from its context.
func Example() {
	app := backplane.New("svc",
		backplane.WithLogger(slog.New(slog.DiscardHandler)),
		config.Component(), rest.Component(), authentication.Component(),
		backplane.Extension(authentication.Strategies, "staff",
			kernel.Value[authentication.Strategy](headerStrategy{"X-Staff", map[string][]string{"ann": {"admin"}}})),
		rest.AddRoutes("hello", func(r *rest.Router) {
			rest.Get(r, "/hello", func(ctx context.Context, _ *rest.Empty) (string, error) {
				p, _ := authentication.PrincipalFrom(ctx)
				return "hello " + p.ID, nil
			})
			rest.Get(r, "/ping", func(context.Context, *rest.Empty) (string, error) { return "pong", nil },
				authentication.Public())
		}),
	)
	kernel.Bind(app.Context(), bindings.ConfigOverrides, kernel.Value([]string{"authentication.default=[staff]"}))
	if err := app.Init(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	srv, _ := rest.ServerOf(app)
	get := func(path string, headers ...string) {
		req := httptest.NewRequest("GET", path, nil)
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		fmt.Println(w.Code, w.Header().Get("WWW-Authenticate"), w.Body.String())
	}
	get("/hello")
	get("/hello", "X-Staff", "ann")
	get("/ping")
	// Output:
	// 401 APIKey realm="svc", in="header", name="X-Staff" {"error":{"statusCode":401,"name":"UnauthorizedError","message":"Authentication is required: send an API key in the header \"X-Staff\".","code":"AUTHENTICATION_REQUIRED"}}
	// 200  hello ann
	// 200  pong
}
