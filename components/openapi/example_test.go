package openapi_test

import (
	"context"
	"fmt"
	"maps"
	"os"
	"slices"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/schema"
	"github.com/backplane-dev/backplane/kernel"
)

// Greeting is the body of GET /greet/{name}.
type Greeting struct {
	Message string `json:"message"`
}

// greetings is an application with two routes and the openapi component.
func greetings(opts ...openapi.Option) *backplane.App {
	app := backplane.New("greetings",
		backplane.WithStdout(os.Stdout),
		rest.Component(),
		openapi.Component(opts...),
	)
	app.Mount(rest.AddRoutes("greetings", func(r *rest.Router) {
		rest.Get(r, "/greet/{name}", func(_ context.Context, in *struct {
			Name string `path:"name"`
		}) (Greeting, error) {
			return Greeting{Message: "Hello, " + in.Name + "!"}, nil
		})
		rest.Delete(r, "/greetings/{id}", func(context.Context, *struct {
			ID int64 `path:"id"`
		}) (rest.NoContent, error) {
			return rest.NoContent{}, nil
		}, rest.OperationID("forgetGreeting"), rest.Summary("Forget a greeting"))
	}))

	return app
}

// Example runs the `routes` command the component adds: the application
// initializes without listening, and the document's operations are
// printed. What a route leaves out is derived: the operationId from the
// method and path, the summary from the operationId.
func Example() {
	app := greetings()
	app.Execute(context.Background(), []string{"routes"}, os.Stdout)
	// Output:
	// METHOD  PATH             OPERATION       SUMMARY
	// GET     /greet/{name}    getGreetByName  Get greet by name
	// DELETE  /greetings/{id}  forgetGreeting  Forget a greeting
}

// ExampleWithEnhancer adds a security scheme and marks every operation
// as requiring it: an enhancer sees the whole document before it is
// frozen.
func ExampleWithEnhancer() {
	bearer := openapi.EnhancerFunc(func(_ context.Context, doc *openapi.Document) error {
		doc.AddSecurityScheme("bearer", &openapi.SecurityScheme{Type: "http", Scheme: "bearer"})
		doc.Operations(func(method, path string, op *openapi.Operation) {
			op.Security = []openapi.SecurityRequirement{{"bearer": {}}}
		})
		return nil
	})
	app := greetings(openapi.WithVersion("1.0.0"), openapi.WithEnhancer("bearer", bearer))
	ctx := context.Background()
	if err := app.Init(ctx); err != nil {
		fmt.Println(err)
		return
	}
	svc, err := kernel.Resolve(context.Background(), app.Context(), openapi.ServiceKey)
	if err != nil {
		fmt.Println(err)
		return
	}
	spec, err := svc.Spec(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	doc := spec.Document()
	fmt.Println(doc.Info.Title, doc.Info.Version)
	doc.Operations(func(method, path string, op *openapi.Operation) {
		fmt.Println(method, path, op.OperationID, op.Security)
	})
	for _, f := range spec.Files() {
		fmt.Println(f.Path)
	}
	// Output:
	// greetings 1.0.0
	// GET /greet/{name} getGreetByName [map[bearer:[]]]
	// DELETE /greetings/{id} forgetGreeting [map[bearer:[]]]
	// /openapi-3.1.json
	// /openapi.json
	// /openapi.yaml
}

// ExampleNewBuilder assembles a document from a hand-written route, as a
// source other than the REST server does. The builder derives what the
// route leaves out, adds the 400 its parameter can cause, and the error
// schemas that response refers to.
func ExampleNewBuilder() {
	b := openapi.NewBuilder(openapi.Info{Title: "Clock", Version: "1.0.0"})
	err := b.AddRoute(openapi.Route{
		Method: "GET",
		Path:   "/time",
		Parameters: []*openapi.Parameter{
			{Name: "zone", In: "query", Schema: &schema.Schema{Type: "string"}},
		},
		Success: openapi.Success{Schema: &schema.Schema{Type: "string", Format: "date-time"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	doc, err := b.Build()
	if err != nil {
		fmt.Println(err)
		return
	}
	op := doc.Operation("GET", "/time")
	fmt.Println(op.OperationID, op.Summary, op.Tags)
	fmt.Println(slices.Sorted(maps.Keys(op.Responses)))
	fmt.Println(slices.Sorted(maps.Keys(doc.Components.Schemas)))
	// Output:
	// getTime Get time [time]
	// [200 400]
	// [ErrorDetail ErrorEnvelope]
}

// ExampleDeriveOperationID shows the operationId and summary an
// operation gets when its route does not name them.
func ExampleDeriveOperationID() {
	for _, r := range [][2]string{
		{"GET", "/greet/{name}"},
		{"GET", "/todos"},
		{"PATCH", "/todo-lists/{id}/todos"},
	} {
		id := openapi.DeriveOperationID(r[0], r[1])
		fmt.Printf("%s %s: %s, %q\n", r[0], r[1], id, openapi.Sentence(id))
	}
	// Output:
	// GET /greet/{name}: getGreetByName, "Get greet by name"
	// GET /todos: getTodos, "Get todos"
	// PATCH /todo-lists/{id}/todos: patchTodoListsByIdTodos, "Patch todo lists by id todos"
}
