package apidoc_test

import (
	"context"
	"fmt"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/apidoc"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/schema"
	"github.com/backplane-dev/backplane/extension"
	"github.com/backplane-dev/backplane/kernel"
)

// Example describes the routes of a server that is not the REST
// component, and a named schema, to the apidoc point; the openapi
// component, which reads every describer of the point, documents them.
func Example() {
	app := backplane.New("pets", openapi.Component())
	pets := apidoc.DescriberFunc(func(context.Context) (*apidoc.API, error) {
		return &apidoc.API{
			Routes: []apidoc.Route{{
				Method:     "GET",
				Path:       "/pets/{id}",
				Parameters: []*apidoc.Parameter{{Name: "id", In: "path", Schema: &schema.Schema{Type: "integer", Format: "int64"}}},
				Success:    apidoc.Success{Schema: openapi.Ref("Pet")},
				Errors:     []apidoc.ErrorResponse{{Status: 404, Codes: []string{"ENTITY_NOT_FOUND"}}},
			}},
			Schemas: map[string]*schema.Schema{"Pet": {Type: "object", Properties: map[string]*schema.Schema{"name": {Type: "string"}}}},
		}, nil
	})
	extension.Add(app.Context(), apidoc.Describers, "pets", kernel.Value[apidoc.Describer](pets))

	ctx := context.Background()
	if err := app.Init(ctx); err != nil {
		fmt.Println(err)
		return
	}
	svc, _ := kernel.Resolve(ctx, app.Context(), openapi.ServiceKey)
	spec, err := svc.Spec(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	d := spec.Document()
	op := d.Operation("GET", "/pets/{id}")
	fmt.Println(op.OperationID, "|", op.Summary, "|", op.Tags)
	fmt.Println(len(op.Responses), "responses; schema Pet:", d.Components.Schemas["Pet"] != nil)
	// Output:
	// getPetsById | Get pets by id | [pets]
	// 3 responses; schema Pet: true
}
