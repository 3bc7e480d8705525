package rest_test

import (
	"testing"

	"github.com/labstack/echo/v4"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/internal/swagfixture"
	_ "github.com/backplane-dev/backplane/internal/swagfixture/docs"
)

// TestMountedEchoHandlersWithTheirSwagDocument mounts swag-annotated echo
// handlers of an older service beside typed routes: both are served, and
// the document has the operations of both.
func TestMountedEchoHandlersWithTheirSwagDocument(t *testing.T) {
	app := backplane.New("items", config.Component(), rest.Component(), openapi.Component(openapi.MergeSwag("legacy")))
	app.Controller(&itemController{})
	rest.MountEcho(app, "legacy", func(e *echo.Echo, base *echo.Group) {
		(&swagfixture.Store{}).Register(base.Group("/legacy"))
	})
	c := resttest.Start(t, app)
	c.Get("/legacy/pets").Status(200)
	c.Get("/items/1").Status(200)
	var doc struct {
		Paths map[string]map[string]any
	}
	c.Get("/openapi.json").Status(200).JSON(&doc)
	for _, p := range []string{"/legacy/pets", "/legacy/pets/{id}", "/items/{id}"} {
		if _, ok := doc.Paths[p]; !ok {
			t.Errorf("the document lacks %s; paths: %v", p, keys(doc.Paths))
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
