package openapi_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/apidoc"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/extension"
	"github.com/backplane-dev/backplane/kernel"
)

type widget struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type widgetByID struct {
	ID int64 `path:"id"`
}

// TestTheDocumentIsBuiltOnceFromRESTsDescriptions: the REST server's
// route descriptions, as it planned them, are the document's operations;
// the document is built once, at start, and every request serves those
// bytes (no describer is asked again).
func TestTheDocumentIsBuiltOnceFromRESTsDescriptions(t *testing.T) {
	var described atomic.Int64
	counting := apidoc.DescriberFunc(func(context.Context) (*apidoc.API, error) {
		described.Add(1)
		return &apidoc.API{}, nil
	})
	app := backplane.New("widgets", config.Component(), rest.Component(rest.WithBasePath("/api")), openapi.Component(),
		backplane.NewComponent("counting", func(app *backplane.App) error {
			extension.Add(app.Context(), apidoc.Describers, "counting", kernel.Value[apidoc.Describer](counting))
			return nil
		}))
	app.Mount(rest.AddRoutes("widgets", func(r *rest.Router) {
		rest.Get(r, "/widgets/{id}", func(_ context.Context, in *widgetByID) (widget, error) {
			return widget{ID: in.ID}, nil
		}, rest.Summary("Find a widget"), rest.Errors(404, "ENTITY_NOT_FOUND"))
	}))

	resttest.Start(t, app)
	srv, err := rest.ServerOf(app)
	if err != nil {
		t.Fatal(err)
	}
	c := resttest.NewClient(t, "http://"+srv.Addr().String()) // the document is outside the base path
	var doc struct {
		Paths map[string]map[string]struct {
			Summary   string         `json:"summary"`
			Responses map[string]any `json:"responses"`
		} `json:"paths"`
	}
	c.Get("/openapi.json").Status(200).JSON(&doc)
	c.Get("/openapi.json").Status(200)
	c.Get("/openapi-3.1.json").Status(200)
	if n := described.Load(); n != 1 {
		t.Errorf("the describers were asked %d times; the document is built once", n)
	}
	op, ok := doc.Paths["/api/widgets/{id}"]["get"]
	if !ok {
		t.Fatalf("the document lacks GET /api/widgets/{id}: %v", doc.Paths)
	}
	if op.Summary != "Find a widget" || op.Responses["404"] == nil || op.Responses["200"] == nil {
		t.Errorf("GET /api/widgets/{id}: %+v", op)
	}

	api, err := srv.DescribeAPI(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(api.Routes) != 1 || api.Routes[0].Path != "/api/widgets/{id}" || api.Routes[0].Summary != "Find a widget" {
		t.Fatalf("DescribeAPI: %+v", api.Routes)
	}
	// The description is the route's own, written once when it was
	// planned: the route table holds the same parameters.
	rt := srv.RouteTable()[0]
	if rt.Path != "/widgets/{id}" || len(rt.Parameters) != 1 || rt.Parameters[0] != api.Routes[0].Parameters[0] {
		t.Errorf("the route table and the description differ: %+v vs %+v", rt.Route, api.Routes[0])
	}
}
