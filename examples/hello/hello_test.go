package hello_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/examples/hello"
)

func TestPing(t *testing.T) {
	c := resttest.Start(t, hello.New())
	var p hello.Ping
	c.Get("/ping?x=1", "X-Custom", "yes").Status(200).JSON(&p)
	if p.Greeting != "Hello from Backplane" || p.URL != "/ping?x=1" || p.Headers["x-custom"] != "yes" || p.Headers["host"] == "" {
		t.Errorf("ping: %+v", p)
	}
	if time.Since(p.Date) > time.Minute {
		t.Errorf("date %v", p.Date)
	}
}

func TestInjectedGreeter(t *testing.T) {
	c := resttest.Start(t, hello.New())
	var g hello.Greeting
	c.Get("/greet/Ada").Status(200).JSON(&g)
	if g.Message != "Hello, Ada." {
		t.Errorf("greeting %q", g.Message)
	}
	c.Get("/greet/Ada?shout=true").Status(200).JSON(&g)
	if g.Message != "HELLO, ADA." {
		t.Errorf("shout %q", g.Message)
	}
	c.Get("/greet/Ada?shout=maybe").Error(400, "INVALID_PARAMETER_VALUE")
	c.Get("/greet/"+strings.Repeat("a", 41)).Error(400, "INVALID_PARAMETER_VALUE")
}

func TestValidatedCreate(t *testing.T) {
	c := resttest.Start(t, hello.New())
	var n hello.Note
	c.Post("/notes", `{"title":"milk","priority":2}`).Status(200).JSON(&n)
	if n.ID != 1 || n.Title != "milk" || n.Priority != 2 {
		t.Errorf("note %+v", n)
	}
	c.Post("/notes", `{"title":"x","priority":9}`).Error(422, "VALIDATION_FAILED")
	c.Post("/notes", `{"priority":1}`).Error(422, "VALIDATION_FAILED")
	c.Post("/notes", `{"title":"x","id":5}`).Error(422, "VALIDATION_FAILED")
}

// TestDocumentIsValidOpenAPI loads every served form with kin-openapi
// and validates it.
func TestDocumentIsValidOpenAPI(t *testing.T) {
	c := resttest.Start(t, hello.New())
	for _, path := range []string{"/openapi.json", "/openapi.yaml", "/openapi-3.1.json"} {
		r := c.Get(path).Status(200)
		if path == "/openapi-3.1.json" {
			if !strings.Contains(string(r.Body), `"openapi": "3.1`) {
				t.Errorf("%s is not 3.1", path)
			}
			continue
		}
		doc, err := openapi3.NewLoader().LoadFromData(r.Body)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if err := doc.Validate(context.Background()); err != nil {
			t.Errorf("%s: %v", path, err)
		}
		if doc.Paths.Find("/notes").Post.RequestBody.Value.Content["application/json"].Schema.Ref != "#/components/schemas/NewNote" {
			t.Errorf("%s: POST /notes body is not NewNote", path)
		}
	}
	c.Get("/explorer/").Status(200)
}

func Example_routes() {
	hello.New().Execute(context.Background(), []string{"routes"}, os.Stderr)
	// Output:
	// METHOD  PATH           OPERATION       SUMMARY
	// GET     /greet/{name}  getGreetByName  Get greet by name
	// POST    /notes         createNote      Create note
	// GET     /ping          getPing         Say hello, with the request's URL and headers
}
