package openapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest"
)

// Strict fails the start on a route that declares no summary, although
// the document shows one derived from its operationId.
func TestStrictTellsADeclaredSummaryFromADerivedOne(t *testing.T) {
	app := func(opts ...rest.RouteOption) *backplane.App {
		return backplane.New("strict", rest.Component(rest.WithAddr("127.0.0.1", 0)), openapi.Component(openapi.Strict()),
			rest.AddRoutes("widgets", func(r *rest.Router) {
				rest.Get(r, "/widgets", func(context.Context, *rest.Empty) ([]widget, error) { return nil, nil },
					append([]rest.RouteOption{rest.OperationID("listWidgets")}, opts...)...)
			}))
	}
	bad := app()
	err := bad.Start(context.Background())
	if err == nil {
		bad.Stop(context.Background())
		t.Fatal("a route without a summary started under Strict")
	}
	var ce *openapi.CheckError
	if !errors.As(err, &ce) {
		t.Fatalf("want a *openapi.CheckError, got %v", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "GET /widgets") || !strings.Contains(msg, "declares no summary") {
		t.Errorf("the error does not name the route and the missing summary:\n%s", msg)
	}

	good := app(rest.Summary("List the widgets"))
	if err := good.Start(context.Background()); err != nil {
		t.Fatalf("a route with a summary: %v", err)
	}
	good.Stop(context.Background())
}
