package apifirst_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/apifirst"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest"
)

const greeterSpec = `openapi: 3.0.3
info: {title: Greeter, version: 1.0.0}
paths:
  /greet/{name}:
    get:
      operationId: greet
      summary: Greet someone
      parameters:
        - {name: name, in: path, required: true, schema: {type: string, minLength: 2}}
      responses:
        "200":
          description: A greeting
          content:
            application/json:
              schema:
                type: object
                required: [message]
                properties: {message: {type: string}}
`

type Greeting struct {
	Message string `json:"message"`
}

type GreetInput struct {
	Name string `path:"name"`
}

type Greeter struct {
	API *apifirst.API `inject:"apifirst.api"`
}

func (g *Greeter) Routes(r *rest.Router) {
	apifirst.Handle(r, g.API, "greet", func(_ context.Context, in *GreetInput) (Greeting, error) {
		return Greeting{Message: "Hello, " + in.Name}, nil
	})
}

// Example serves a document written first and binds a handler to its
// operation by operationId; the document's schema validates the path
// parameter.
func Example() {
	spec, err := openapi.Parse("greeter.yaml", []byte(greeterSpec))
	if err != nil {
		fmt.Println(err)
		return
	}
	app := backplane.New("greeter",
		backplane.WithLogger(slog.New(slog.DiscardHandler)),
		rest.Component(),
		apifirst.Component(apifirst.Document(spec)),
		backplane.Controller(&Greeter{}),
	)
	if err := app.Init(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	srv, _ := rest.ServerOf(app)
	for _, path := range []string{"/greet/Ada", "/greet/A"} {
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		b, _ := io.ReadAll(w.Body)
		fmt.Println(w.Code, strings.TrimSpace(string(b)))
	}
	// Output:
	// 200 {"message":"Hello, Ada"}
	// 400 {"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"A\" for parameter \"name\".","code":"INVALID_PARAMETER_VALUE","details":[{"path":"","code":"minLength","message":"must NOT have fewer than 2 characters","info":{"limit":2}}]}}
}
