package swagbridge_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/swaggo/swag"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/backplanetest"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/components/swagbridge"
	"github.com/backplane-dev/backplane/internal/swagfixture"
	_ "github.com/backplane-dev/backplane/internal/swagfixture/docs" // registers swag instance "legacy"
	"github.com/backplane-dev/backplane/internal/swagfixture/todoapp"
)

type item struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type byID struct {
	ID int64 `path:"id"`
}

// TestMountedEchoHandlersWithTheirSwagDocument mounts swag-annotated echo
// handlers of an older service beside typed routes: both are served, and
// the document has the operations of both.
func TestMountedEchoHandlersWithTheirSwagDocument(t *testing.T) {
	app := backplane.New("items", config.Component(), rest.Component(), openapi.Component(),
		swagbridge.Component(swagbridge.Merge("legacy")))
	app.Mount(rest.AddRoutes("items", func(r *rest.Router) {
		rest.Get(r, "/items/{id}", func(_ context.Context, in *byID) (item, error) {
			return item{ID: in.ID, Name: "one"}, nil
		})
	}))

	app.Mount(rest.MountEcho("legacy", func(e *echo.Echo, base *echo.Group) {
		(&swagfixture.Store{}).Register(base.Group("/legacy"))
	}))

	c := resttest.Start(t, app)
	c.Get("/legacy/pets").Status(200)
	c.Get("/items/1").Status(200)
	var doc struct {
		Paths map[string]map[string]any
	}
	c.Get("/openapi.json").Status(200).JSON(&doc)
	for _, p := range []string{"/legacy/pets", "/legacy/pets/{id}", "/items/{id}"} {
		if _, ok := doc.Paths[p]; !ok {
			t.Errorf("the document lacks %s", p)
		}
	}
}

// TestRegisterAsWritesSwagsRegistryOnlyWhenAsked: an application that
// mounts the bridge with RegisterAs is readable through swag.ReadDoc; one
// that does not ask leaves swag's registry alone.
func TestRegisterAsWritesSwagsRegistryOnlyWhenAsked(t *testing.T) {
	const name = "bridge-registry"
	backplanetest.Start(t, backplane.New(name, openapi.Component(), swagbridge.Component()))
	if swag.GetSwagger(name) != nil {
		t.Fatal("an application that did not ask wrote into swag's registry")
	}

	app := backplanetest.Start(t, backplane.New(name, openapi.Component(), swagbridge.Component(swagbridge.RegisterAs(""))))
	spec, err := backplanetest.Resolve(t, app, openapi.ServiceKey).Spec(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want, _ := spec.Bytes(openapi.V30, openapi.JSON)
	got, err := swag.ReadDoc(name)
	if err != nil || got != string(want) {
		t.Fatalf("swag.ReadDoc: err %v, same bytes %v", err, got == string(want))
	}
	// A second application of the same name in the process replaces it
	// (swag itself would panic on a second Register).
	backplanetest.Start(t, backplane.New(name, openapi.Component(openapi.WithTitle("Second")), swagbridge.Component(swagbridge.RegisterAs(""))))
	got, _ = swag.ReadDoc(name)
	if !strings.Contains(got, `"title": "Second"`) {
		t.Fatal("the second start did not replace the registered document")
	}
	// A name a swag-generated docs package holds is refused, clearly.
	err = backplane.New("x", openapi.Component(), swagbridge.Component(swagbridge.RegisterAs("legacy"))).Start(context.Background())
	if err == nil || !strings.Contains(err.Error(), `swag already holds a document named "legacy"`) {
		t.Fatalf("start: %v", err)
	}
}

func TestLegacyHandlersAreMergedAndServed(t *testing.T) {
	app := backplanetest.Start(t, todoapp.New("todo", nil))
	base := backplanetest.Resolve(t, app, todoapp.ServerKey).URL()
	spec, _ := backplanetest.Resolve(t, app, openapi.ServiceKey).Spec(context.Background())
	d := spec.Document()
	op := d.Operation("POST", "/legacy/pets")
	if op == nil || op.OperationID != "createLegacyPet" || op.RequestBody == nil || !op.RequestBody.Required {
		t.Fatalf("POST /legacy/pets: %+v", op)
	}
	if s := op.RequestBody.Content["application/json"].Schema.Ref; s != "#/components/schemas/swagfixture.NewPet" {
		t.Errorf("body schema %q", s)
	}
	if sp := d.Components.Schemas["swagfixture.Species"]; sp == nil || len(sp.Enum) != 2 {
		t.Errorf("species: %+v", sp)
	}
	if id := d.Components.Schemas["swagfixture.Pet"].Properties["id"]; id.Format != "int64" {
		t.Errorf("legacy Pet.id format %q, want int64", id.Format)
	}
	// The legacy handler answers where the document says it is.
	res, err := http.Get(base + "/legacy/pets/7")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 404 || !strings.Contains(string(b), "pet not found") {
		t.Fatalf("GET /legacy/pets/7: %d %s", res.StatusCode, b)
	}
}

func TestConflictingSourcesFailTheStart(t *testing.T) {
	legacy, err := os.ReadFile("../../internal/swagfixture/docs/legacy_swagger.json")
	if err != nil {
		t.Fatal(err)
	}
	// The same legacy document twice: every operation is declared twice.
	app := todoapp.New("todo", []openapi.Option{openapi.WithSource("swagger.legacy-copy", swagbridge.Source("legacy copy", legacy))})
	err = app.Start(context.Background())
	if err == nil {
		t.Fatal("start succeeded")
	}
	for _, want := range []string{"legacy copy", "GET /legacy/pets is already in the document"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}
