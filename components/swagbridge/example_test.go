package swagbridge_test

import (
	"fmt"

	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/swagbridge"
)

// ExampleConvert converts the Swagger 2.0 document swag wrote for an
// annotated echo handler: the base path is folded into the path, the body
// parameter becomes a request body, the definition a named schema, and
// the operation gets a summary and a tag as Backplane's routes do.
func ExampleConvert() {
	doc := []byte(`{
  "swagger": "2.0",
  "info": {"title": "Pets", "version": "1"},
  "basePath": "/legacy",
  "paths": {
    "/pets": {
      "post": {
        "operationId": "createPet",
        "consumes": ["application/json"],
        "parameters": [{"name": "pet", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Pet"}}],
        "responses": {"201": {"description": "Created", "schema": {"$ref": "#/definitions/Pet"}}}
      }
    }
  },
  "definitions": {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}}
}`)
	d, err := swagbridge.Convert(doc)
	if err != nil {
		fmt.Println(err)
		return
	}
	d.Operations(func(method, path string, op *openapi.Operation) {
		fmt.Println(method, path, op.OperationID, "|", op.Summary, "|", op.Tags)
		fmt.Println("body:", op.RequestBody.Content["application/json"].Schema.Ref)
	})
	fmt.Println("schemas:", len(d.Components.Schemas))
	// Output:
	// POST /legacy/pets createPet | Create pet | [legacy]
	// body: #/components/schemas/Pet
	// schemas: 1
}
