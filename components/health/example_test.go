package health_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/health"
	"github.com/backplane-dev/backplane/components/rest"
)

// Example mounts the health component with one readiness check of its
// own and reads /ready before and after the check fails.
func Example() {
	var down error
	app := backplane.New("svc",
		backplane.WithLogger(slog.New(slog.DiscardHandler)),
		rest.Component(),
		health.Component(),
		health.AddCheck("cache", health.Ready, health.CheckFunc(func(context.Context) error { return down })),
	)
	if err := app.Init(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	srv, _ := rest.ServerOf(app)
	get := func(path string) {
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		b, _ := io.ReadAll(w.Body)
		fmt.Print(w.Code, " ", string(b))
	}
	get("/ready")
	down = errors.New("cache: connection refused")
	get("/ready")
	get("/live")
	// Output:
	// 200 {"status":"UP","checks":[{"name":"health.checks.cache","state":"UP","data":{"reason":""}}]}
	// 503 {"status":"DOWN","checks":[{"name":"health.checks.cache","state":"DOWN","data":{"reason":"failed"}}]}
	// 200 {"status":"UP","checks":[]}
}
