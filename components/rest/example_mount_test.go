package rest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/rest"
)

// ExampleMount is how a component serves through the REST server without
// the server knowing it (the openapi component and the explorer do this):
// a Mounter receives the server when it builds, after the routes, with
// its echo instance and configuration, and may fail the start.
func ExampleMount() {
	app := backplane.New("svc", rest.Component(rest.WithBasePath("/api")))
	app.Mount(rest.Mount("version", rest.MounterFunc(func(_ context.Context, s *rest.Server) error {
		s.Echo().GET("/version", func(c echo.Context) error {
			return c.String(http.StatusOK, "1.2.3 (base path "+s.Config().BasePath+")")
		})
		return nil
	})))

	if err := app.Init(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	srv, _ := rest.ServerOf(app)
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest("GET", "/version", nil))
	fmt.Println(w.Code, w.Body.String())

	failing := backplane.New("svc", rest.Component())
	failing.Mount(rest.Mount("broken", rest.MounterFunc(func(context.Context, *rest.Server) error {
		return fmt.Errorf("the certificate file is missing")
	})))

	err := failing.Init(context.Background())
	fmt.Println(strings.Contains(err.Error(), "rest: mount rest.mounts.broken: the certificate file is missing"))
	// Output:
	// 200 1.2.3 (base path /api)
	// true
}
